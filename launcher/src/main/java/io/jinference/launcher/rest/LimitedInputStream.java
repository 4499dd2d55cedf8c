package io.jinference.launcher.rest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that may not exceed a limit: a chunked upload declares no length, so it is counted while read and
 * refused with 413 as soon as it passes the limit, without reading the rest.
 */
final class LimitedInputStream extends FilterInputStream {
    private final long limit;
    private long count;

    LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int value = super.read();
        if (value >= 0) {
            counted(1);
        }
        return value;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int read = super.read(buffer, offset, length);
        if (read > 0) {
            counted(read);
        }
        return read;
    }

    private void counted(long bytes) {
        count += bytes;
        if (count > limit) {
            throw new ApiError(413, "Request body too large: at most " + limit + " bytes are accepted on this route");
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
