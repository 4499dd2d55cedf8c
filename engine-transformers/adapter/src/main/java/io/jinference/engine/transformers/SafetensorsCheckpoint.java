package io.jinference.engine.transformers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.jinference.api.EngineException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The tensors of a checkpoint folder stored as safetensors: one {@code model.safetensors}, or shards listed by
 * {@code model.safetensors.index.json}. A safetensors file is an 8-byte little-endian header length, a JSON header
 * (name → dtype, shape, data offsets) and the raw little-endian tensor bytes; tensors are memory-mapped one at a
 * time and copied into libtorch.
 */
final class SafetensorsCheckpoint {
    private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    record TensorInfo(Path file, String dtype, long[] shape, long begin, long end) {
    }

    private final Map<String, TensorInfo> tensors;

    private SafetensorsCheckpoint(Map<String, TensorInfo> tensors) {
        this.tensors = tensors;
    }

    static SafetensorsCheckpoint open(Path folder) {
        Path index = folder.resolve("model.safetensors.index.json");
        List<Path> files = new ArrayList<>();
        if (Files.isRegularFile(index)) {
            for (String shard : shardsOf(index)) {
                Path file = folder.resolve(shard).normalize();
                if (!file.startsWith(folder.normalize()) || !Files.isRegularFile(file)) {
                    throw failed("the shard " + shard + " named by model.safetensors.index.json is missing");
                }
                files.add(file);
            }
        } else {
            try (Stream<Path> list = Files.list(folder)) {
                list.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().forEach(files::add);
            } catch (IOException e) {
                throw failed("cannot list " + folder + ": " + e.getMessage());
            }
        }
        if (files.isEmpty()) {
            throw failed("no *.safetensors weights found in " + folder
                    + " (PyTorch .bin checkpoints are not supported: convert them to safetensors)");
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Path file : files) {
            tensors.putAll(readHeader(file));
        }
        return new SafetensorsCheckpoint(tensors);
    }

    boolean has(String name) {
        return tensors.containsKey(name);
    }

    Set<String> names() {
        return new TreeSet<>(tensors.keySet());
    }

    /** Loads one tensor into {@code manager}, converted to {@code dtype}, checking its shape. */
    NDArray load(NDManager manager, String name, DataType dtype, long... expectedShape) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw failed("the tensor " + name + " is missing from the checkpoint");
        }
        if (expectedShape.length > 0 && !java.util.Arrays.equals(info.shape(), expectedShape)) {
            throw failed("the tensor " + name + " has shape " + java.util.Arrays.toString(info.shape())
                    + " but config.json implies " + java.util.Arrays.toString(expectedShape));
        }
        try (FileChannel channel = FileChannel.open(info.file(), StandardOpenOption.READ)) {
            ByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, info.begin(), info.end() - info.begin())
                    .order(ByteOrder.LITTLE_ENDIAN);
            DataType stored = djlType(info.dtype());
            if (stored == DataType.BFLOAT16) {
                // DJL 0.36's libtorch binding has no bfloat16 (creating or casting to it aborts the JVM), so
                // bfloat16 weights are widened here; bfloat16 → float32 is exact (the same top 16 bits).
                bytes = widenBfloat16(bytes);
                stored = DataType.FLOAT32;
            }
            try (NDArray mapped = manager.create(bytes, new Shape(info.shape()), stored)) {
                // The mapped array aliases the file mapping, which the GC unmaps at any time: always copy into
                // libtorch-owned memory (toType does not copy when the dtype already matches).
                return mapped.getDataType() == dtype ? mapped.duplicate() : mapped.toType(dtype, true);
            }
        } catch (IOException e) {
            throw failed("cannot read " + info.file().getFileName() + ": " + e.getMessage());
        }
    }

    private static ByteBuffer widenBfloat16(ByteBuffer bfloat16) {
        int count = bfloat16.remaining() / 2;
        ByteBuffer widened = ByteBuffer.allocateDirect(count * 4).order(ByteOrder.nativeOrder());
        for (int i = 0; i < count; i++) {
            widened.putInt((bfloat16.getShort(i * 2) & 0xffff) << 16);
        }
        return widened.flip();
    }

    private static List<String> shardsOf(Path index) {
        try {
            JsonObject json = JsonParser.parseString(Files.readString(index)).getAsJsonObject();
            JsonObject map = json.getAsJsonObject("weight_map");
            if (map == null) {
                throw failed("model.safetensors.index.json has no weight_map");
            }
            return map.entrySet().stream().map(e -> e.getValue().getAsString()).distinct().sorted().toList();
        } catch (IOException | JsonParseException | IllegalStateException | ClassCastException e) {
            throw failed("model.safetensors.index.json is not valid JSON: " + e.getMessage());
        }
    }

    private static Map<String, TensorInfo> readHeader(Path file) {
        String name = file.getFileName().toString();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            if (size < 8 || channel.read(lengthBytes, 0) != 8) {
                throw failed(name + " is too short to be a safetensors file");
            }
            long headerLength = lengthBytes.getLong(0);
            if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > size) {
                throw failed(name + " is not a safetensors file (bad header length " + headerLength + ")");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            channel.read(header, 8);
            JsonObject json = JsonParser.parseString(new String(header.array(), StandardCharsets.UTF_8)).getAsJsonObject();
            long dataStart = 8 + headerLength;
            Map<String, TensorInfo> result = new HashMap<>();
            for (Map.Entry<String, JsonElement> entry : json.entrySet()) {
                if (!entry.getKey().equals("__metadata__")) {
                    result.put(entry.getKey(), tensorInfo(file, entry.getKey(), entry.getValue().getAsJsonObject(),
                            dataStart, size));
                }
            }
            return result;
        } catch (IOException e) {
            throw failed("cannot read " + name + ": " + e.getMessage());
        } catch (JsonParseException | IllegalStateException | ClassCastException | UnsupportedOperationException e) {
            throw failed(name + " has a corrupt header: " + e.getMessage());
        }
    }

    private static TensorInfo tensorInfo(Path file, String tensor, JsonObject entry, long dataStart, long fileSize) {
        String dtype = entry.get("dtype").getAsString();
        long[] shape = new long[entry.getAsJsonArray("shape").size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = entry.getAsJsonArray("shape").get(i).getAsLong();
            elements *= shape[i];
        }
        long begin = dataStart + entry.getAsJsonArray("data_offsets").get(0).getAsLong();
        long end = dataStart + entry.getAsJsonArray("data_offsets").get(1).getAsLong();
        String where = file.getFileName() + ": tensor " + tensor;
        if (end > fileSize || begin > end) {
            throw failed(where + " lies outside the file (truncated download?)");
        }
        if (end - begin != elements * djlType(dtype).getNumOfBytes()) {
            throw failed(where + " has " + (end - begin) + " bytes, not what its shape and dtype need");
        }
        return new TensorInfo(file, dtype, shape, begin, end);
    }

    private static DataType djlType(String dtype) {
        return switch (dtype) {
            case "F32" -> DataType.FLOAT32;
            case "BF16" -> DataType.BFLOAT16;
            case "F16" -> DataType.FLOAT16;
            default -> throw failed("tensors of dtype " + dtype
                    + " are not supported (the Transformers engine reads F32, BF16 and F16)");
        };
    }

    static EngineException failed(String problem) {
        return new EngineException(EngineException.Kind.LOAD_FAILED, "Cannot load the checkpoint: " + problem);
    }
}
