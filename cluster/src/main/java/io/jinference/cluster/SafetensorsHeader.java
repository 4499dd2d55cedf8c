package io.jinference.cluster;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a memory estimate needs from a safetensors file: the number of elements and bytes of its tensors, by dtype.
 * The file starts with an 8-byte little-endian length and that many bytes of JSON (each tensor's dtype, shape and
 * data offsets); only the header is read. Every length and offset is checked against the file's size, so a damaged
 * file fails here with a message, never with an out-of-memory error.
 */
public final class SafetensorsHeader {
    /** The safetensors format's own limit on its header (100 MB). */
    private static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength((int) MAX_HEADER_BYTES).build())
            .build());

    private final Map<String, Long> elementsByDtype;
    private final Map<String, Long> bytesByDtype;
    private final int tensorCount;

    private SafetensorsHeader(Map<String, Long> elementsByDtype, Map<String, Long> bytesByDtype, int tensorCount) {
        this.elementsByDtype = elementsByDtype;
        this.bytesByDtype = bytesByDtype;
        this.tensorCount = tensorCount;
    }

    /** @throws IllegalArgumentException when the file is not a safetensors file or is damaged */
    public static SafetensorsHeader read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long length = lengthBytes.flip().getLong();
            if (length <= 1 || length > MAX_HEADER_BYTES || 8 + length > size) {
                throw damaged("its header length " + Long.toUnsignedString(length) + " does not fit the file");
            }
            ByteBuffer header = ByteBuffer.allocate((int) length);
            readFully(channel, header, 8);
            JsonNode tensors;
            try {
                tensors = JSON.readTree(header.array());
            } catch (IOException notJson) {
                throw damaged("its header is not JSON");
            }
            if (tensors == null || !tensors.isObject()) {
                throw damaged("its header is not a JSON object");
            }
            return of(tensors, size - 8 - length);
        }
    }

    private static SafetensorsHeader of(JsonNode tensors, long dataBytes) {
        Map<String, Long> elements = new TreeMap<>();
        Map<String, Long> bytes = new TreeMap<>();
        int count = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = tensors.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> tensor = it.next();
            if (tensor.getKey().equals("__metadata__")) {
                continue;
            }
            JsonNode info = tensor.getValue();
            String dtype = info.path("dtype").asText("");
            JsonNode offsets = info.path("data_offsets");
            if (dtype.isEmpty() || !info.path("shape").isArray() || !offsets.isArray() || offsets.size() != 2
                    || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
                throw damaged("a tensor lacks its dtype, shape or data offsets");
            }
            long begin = offsets.get(0).asLong();
            long end = offsets.get(1).asLong();
            if (begin < 0 || end < begin || end > dataBytes) {
                throw damaged("a tensor's data lies past the end of the file");
            }
            long elementCount = 1;
            for (JsonNode dimension : info.path("shape")) {
                if (!dimension.canConvertToLong() || dimension.asLong() < 0) {
                    throw damaged("a tensor's shape is not a list of sizes");
                }
                try {
                    elementCount = Math.multiplyExact(elementCount, dimension.asLong());
                } catch (ArithmeticException overflow) {
                    throw damaged("a tensor's shape is larger than any file");
                }
            }
            elements.merge(dtype, elementCount, Long::sum);
            bytes.merge(dtype, end - begin, Long::sum);
            count++;
        }
        return new SafetensorsHeader(elements, bytes, count);
    }

    /** Elements by dtype name as the file spells it ({@code F32}, {@code BF16}, {@code I32}, {@code F8_E4M3}, ...). */
    public Map<String, Long> elementsByDtype() {
        return elementsByDtype;
    }

    /** Bytes of tensor data by dtype name. */
    public Map<String, Long> bytesByDtype() {
        return bytesByDtype;
    }

    public int tensorCount() {
        return tensorCount;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw damaged("it ends inside its header");
            }
            at += n;
        }
    }

    private static IllegalArgumentException damaged(String why) {
        return new IllegalArgumentException("The safetensors file is damaged or truncated: " + why);
    }
}
