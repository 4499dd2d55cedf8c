package io.jinference.catalog;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * Model sizes in billions as Xinference writes them: {@code "0_5"}, {@code "7"}, {@code "1_8"}, where {@code _} is the
 * decimal point. Two sizes match when they are the same number: {@code "1_8"} equals {@code "1.8"} and {@code 1.8},
 * {@code "001"} equals {@code 1}, but {@code "1_8"} is not {@code 18} and {@code "1b"} is nothing.
 */
public final class ModelSizes {
    private ModelSizes() {
    }

    /** True when both sizes denote the same number of billions; non-numeric sizes match only themselves. */
    public static boolean matches(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        Optional<BigDecimal> left = parse(a);
        Optional<BigDecimal> right = parse(b);
        if (left.isPresent() && right.isPresent()) {
            return left.get().compareTo(right.get()) == 0;
        }
        return a.trim().equals(b.trim());
    }

    /** The catalog spelling of a size: {@code "1.80"} → {@code "1_8"}, {@code "007"} → {@code "7"}, {@code 0.135} → {@code "0_135"}. */
    public static String canonical(String size) {
        return parse(size)
                .map(value -> value.stripTrailingZeros().toPlainString().replace('.', '_'))
                .orElseThrow(() -> new CatalogException("Model size '" + size
                        + "' is not a number of billions (write 7, 0_5 or 1.8)"));
    }

    /** {@link #canonical(String)} for a number (JSON sizes may be numbers). */
    public static String canonical(Number size) {
        return canonical(size.toString());
    }

    /** True when the size is a non-negative number of billions in one of the accepted spellings. */
    public static boolean isValid(String size) {
        return size != null && parse(size).filter(value -> value.signum() > 0).isPresent();
    }

    private static Optional<BigDecimal> parse(String size) {
        if (size == null) {
            return Optional.empty();
        }
        String decimal = size.trim().replace('_', '.');
        if (!decimal.matches("[0-9]+(\\.[0-9]+)?")) {
            return Optional.empty();
        }
        return Optional.of(new BigDecimal(decimal));
    }
}
