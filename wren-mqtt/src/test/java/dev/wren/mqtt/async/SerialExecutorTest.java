package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
    /** A delegate that runs nothing until told: shows how many hand-offs were asked of it. */
    private static final class ManualExecutor implements java.util.concurrent.Executor {
        final ArrayDeque<Runnable> handedOver = new ArrayDeque<>();

        @Override
        public void execute(Runnable r) {
            handedOver.add(r);
        }

        void runAll() {
            Runnable r;
            while ((r = handedOver.poll()) != null) {
                r.run();
            }
        }
    }

    @Test
    void aBurstEnqueuedBeforeScheduleIsOneHandOffAndRunsInOrder() {
        ManualExecutor delegate = new ManualExecutor();
        List<Throwable> errors = new ArrayList<>();
        SerialExecutor serial = new SerialExecutor(delegate, errors::add);
        List<Integer> ran = new ArrayList<>();
        assertThat(serial.enqueue(() -> ran.add(1))).isTrue(); // the first asks its caller to schedule
        assertThat(serial.enqueue(() -> ran.add(2))).isFalse();
        assertThat(serial.enqueue(() -> ran.add(3))).isFalse();
        assertThat(delegate.handedOver).isEmpty(); // nothing reaches the delegate before schedule()
        serial.schedule();
        serial.execute(() -> ran.add(4)); // a run is scheduled already: no second hand-off
        assertThat(delegate.handedOver).hasSize(1);
        delegate.runAll();
        assertThat(ran).containsExactly(1, 2, 3, 4);
        assertThat(errors).isEmpty();
    }

    @Test
    void afterADrainTheNextTaskAsksForAHandOffAgainAndAFailingTaskDoesNotStopTheOthers() {
        ManualExecutor delegate = new ManualExecutor();
        List<Throwable> errors = new ArrayList<>();
        SerialExecutor serial = new SerialExecutor(delegate, errors::add);
        List<Integer> ran = new ArrayList<>();
        serial.execute(() -> {
            throw new IllegalStateException("handler bug");
        });
        serial.execute(() -> ran.add(1));
        delegate.runAll();
        assertThat(ran).containsExactly(1);
        assertThat(errors).singleElement().extracting(Throwable::getMessage).isEqualTo("handler bug");
        assertThat(serial.enqueue(() -> ran.add(2))).isTrue();
        serial.schedule();
        delegate.runAll();
        assertThat(ran).containsExactly(1, 2);
    }
}
