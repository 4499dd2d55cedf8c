package io.jinference.registry;

import java.util.List;

/** A (format, size) an engine can run, with the quantizations it can run it in: Xinference's engine "param". */
public record SpecParams(String format, String sizeInBillions, List<String> quantizations) {
    public SpecParams {
        quantizations = List.copyOf(quantizations);
    }
}
