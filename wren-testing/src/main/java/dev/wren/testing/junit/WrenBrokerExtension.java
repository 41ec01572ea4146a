package dev.wren.testing.junit;

import dev.wren.testing.Moquette;
import dev.wren.testing.Mosquitto;
import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link WrenBroker}: starts the broker before the class (annotation on the class) or before
 * the test (annotation on the method), keeps it in JUnit's store of that scope, which closes it when the scope
 * ends, and resolves {@link TestBroker} parameters to the nearest one.
 *
 * <p>Thread-safe as JUnit requires: it keeps no state of its own.
 */
public final class WrenBrokerExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(WrenBrokerExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getTestClass().flatMap(c -> annotation(c)).ifPresent(a -> startIn(context, a));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getTestMethod().flatMap(m -> annotation(m)).ifPresent(a -> startIn(context, a));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // a method's own broker first, then its class's, then an enclosing class's (JUnit's stores are hierarchical)
        Started started = context.getStore(NAMESPACE).get(Started.class, Started.class);
        if (started == null) {
            throw new ParameterResolutionException("no broker for " + parameter.getParameter() + ": annotate the "
                    + "test class or method with @WrenBroker");
        }
        return started;
    }

    private static Optional<WrenBroker> annotation(AnnotatedElement element) {
        return AnnotationSupport.findAnnotation(element, WrenBroker.class);
    }

    private static void startIn(ExtensionContext context, WrenBroker annotation) {
        context.getStore(NAMESPACE).put(Started.class, start(annotation));
    }

    private static Started start(WrenBroker annotation) {
        WrenBroker.Kind kind = annotation.value();
        if (kind == WrenBroker.Kind.AUTO) {
            kind = Mosquitto.isInstalled() ? WrenBroker.Kind.MOSQUITTO : WrenBroker.Kind.MOQUETTE;
        }
        if (kind == WrenBroker.Kind.MOSQUITTO) {
            Mosquitto m = Mosquitto.start(annotation.mosquittoConfig());
            return new Started(kind, m.host(), m.port(), m);
        }
        Moquette q = Moquette.start();
        return new Started(kind, q.host(), q.port(), q);
    }

    /** A started broker, closed by JUnit when the store that holds it is closed. */
    private record Started(WrenBroker.Kind kind, String host, int port, AutoCloseable broker)
            implements TestBroker, AutoCloseable {
        @Override
        public void close() throws Exception {
            broker.close();
        }

        @Override
        public String toString() {
            return kind + " on " + host + ":" + port;
        }
    }
}
