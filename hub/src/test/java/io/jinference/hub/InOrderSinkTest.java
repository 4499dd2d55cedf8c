package io.jinference.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** A streamed chunk's reuse of one small buffer: every read is hashed and written, in order, before the next. */
class InOrderSinkTest {
    private static final byte[] RANGE = "the bytes of one range, read four at a time".getBytes();

    @Test
    void aStreamedChunkIsWrittenAndHashedReadByRead() throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        InOrderSink sink = new InOrderSink(digest, file);
        ReceivingChunk chunk = new ReceivingChunk(0, new byte[4], RANGE.length);
        sink.expect(chunk);

        assertThat(chunk.streamed()).isTrue();
        for (int position = 0; position < RANGE.length;) {
            int n = chunk.readLength(Integer.MAX_VALUE);
            System.arraycopy(RANGE, position, chunk.buffer(), chunk.readOffset(), n);
            position += n;
            chunk.arrived(position);
            sink.arrived(chunk);
            assertThat(file.size()).as("written before the buffer is read into again").isEqualTo(position);
        }
        chunk.end();
        sink.arrived(chunk);
        sink.awaitWritten(chunk);

        assertThat(file.toByteArray()).isEqualTo(RANGE);
        assertThat(digest.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(RANGE));
    }

    @Test
    void aStreamedChunkStopsOnceTheSinkIsClosed() throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        InOrderSink sink = new InOrderSink(MessageDigest.getInstance("SHA-256"), file);
        ReceivingChunk chunk = new ReceivingChunk(0, new byte[4], RANGE.length);
        sink.expect(chunk);
        sink.close();

        System.arraycopy(RANGE, 0, chunk.buffer(), 0, 4);
        chunk.arrived(4);
        assertThatThrownBy(() -> sink.arrived(chunk)).isInstanceOf(CancellationException.class);
        assertThat(file.size()).isZero();
    }
}
