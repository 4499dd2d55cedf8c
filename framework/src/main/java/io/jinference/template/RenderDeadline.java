package io.jinference.template;

import java.beans.FeatureDescriptor;
import java.util.Collections;
import java.util.Iterator;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Stops a runaway chat template. Jinjava cannot be interrupted, but a loop header names a variable or calls
 * {@code range()}, and an output expression resolves names: this resolver, first in the chain, resolves nothing
 * itself and only checks the rendering thread's deadline, and {@link #range} checks it before Jinjava's own
 * {@code range}. Once the deadline has passed every expression fails, so loops get nothing to iterate and the render
 * unwinds at once; {@link ChatTemplateRenderer} then reports the timeout.
 */
public final class RenderDeadline extends ELResolver {
    private static final ThreadLocal<long[]> DEADLINE = new ThreadLocal<>();

    /** Starts the clock for a render on this thread; {@link #end()} must follow. */
    private RenderDeadline() {
    }

    static RenderDeadline resolver() {
        return new RenderDeadline();
    }

    static void begin(long budgetNanos) {
        DEADLINE.set(new long[] {System.nanoTime() + budgetNanos, 0});
    }

    /** True when the render that just ended ran past its deadline. */
    static boolean end() {
        long[] deadline = DEADLINE.get();
        DEADLINE.remove();
        return deadline != null && deadline[1] != 0;
    }

    /** Jinjava's {@code range()}, after the deadline check; registered in place of the built-in one. */
    public static java.util.List<Integer> range(Object end, Object... more) {
        check();
        return com.hubspot.jinjava.lib.fn.Functions.range(end, more);
    }

    private static void check() {
        long[] deadline = DEADLINE.get();
        if (deadline != null && (deadline[1] != 0 || System.nanoTime() - deadline[0] > 0)) {
            deadline[1] = 1;
            throw new IllegalStateException("The chat template ran past its time limit");
        }
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        check();
        return null;
    }

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        check();
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        check();
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return false;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return Collections.emptyIterator();
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
