package io.jinference.template;

import java.math.BigDecimal;

/** Python's text forms of numbers, where chat templates print them. */
final class PythonNumbers {
    private PythonNumbers() {
    }

    /**
     * Python's {@code repr(float)}, which {@code json.dumps} writes: the shortest digits, {@code 22.0} rather than
     * {@code 22}, and scientific notation ({@code 1e+16}, {@code 1e-05}) outside {@code 1e-4 <= |x| < 1e16}.
     */
    static String floatRepr(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        int exponent = exact.precision() - exact.scale() - 1;
        if (exponent >= -4 && exponent < 16) {
            String plain = exact.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = exact.unscaledValue().abs().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (value < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                + String.format("%02d", Math.abs(exponent));
    }
}
