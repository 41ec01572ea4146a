package dev.wren.mqtt.internal.config;

import java.lang.ref.WeakReference;
import java.util.function.BiPredicate;

/**
 * The immutable part of a client's configuration made last, handed out again to the next client built alike, so
 * that thousands of clients made by one loop of code hold one copy instead of one each. Held weakly: nothing in it
 * (handlers, executors, authenticators) outlives the clients that use it.
 *
 * <p>Thread-safe: two threads building at once may each keep their own, which is harmless.
 *
 * @param <T> the immutable type shared
 */
public final class SharedLast<T> {
    private final BiPredicate<T, T> same;
    private volatile WeakReference<T> last = new WeakReference<>(null);

    /** @param same whether the one made last can stand for a new one (both not null) */
    public SharedLast(BiPredicate<T, T> same) {
        this.same = same;
    }

    /** The one made last if {@code made} is the same, else {@code made}, which is then the one remembered. */
    public T share(T made) {
        T l = last.get();
        if (l != null && same.test(l, made)) {
            return l;
        }
        last = new WeakReference<>(made);
        return made;
    }
}
