package io.jinference.template;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.expression.ExpressionStrategy;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.mode.ExecutionMode;
import com.hubspot.jinjava.tree.output.RenderedOutputNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;

/**
 * Prints {@code {{ ... }}} values as Jinja in Python prints them ({@code str()}): booleans as {@code True} and
 * {@code False} (Jinjava: {@code true}), floats as Python's {@code repr} ({@code 1e-05}, Jinjava: {@code 1.0E-5}),
 * dicts and lists, also those a template writes as literals, as Python's {@code repr} ({@link PythonValues}). None and undefined print empty,
 * as before: Jinjava has no Undefined apart from null, and an undefined value is what templates print far more often.
 * Jinjava lets an execution mode choose the strategy that turns an expression into output; this one sets it.
 */
final class PythonOutput implements ExecutionMode, ExpressionStrategy {
    private static final long serialVersionUID = 1L;

    @Override
    public void prepareContext(Context context) {
        context.setExpressionStrategy(this);
    }

    @Override
    public RenderedOutputNode interpretOutput(ExpressionToken master, JinjavaInterpreter interpreter) {
        return new RenderedOutputNode(str(interpreter.resolveELExpression(master.getExpr(), master.getLineNumber())));
    }

    /** Python's {@code str} of a template value, None printed empty. */
    static String str(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Boolean || value instanceof Double || value instanceof Float
                || value instanceof java.util.Map || value instanceof java.util.Collection) {
            return PythonValues.repr(value);
        }
        return value.toString();
    }

    /** Jinja's {@code string} filter, Python's {@code str}: {@code true|string} is {@code "True"}. */
    static final class StringFilter implements Filter {
        @Override
        public String getName() {
            return "string";
        }

        @Override
        public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
            return value == null ? "None" : str(value);
        }
    }
}
