package dev.contentgen.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs an action on Ctrl-C (SIGINT) instead of exiting, while open; the previous handling comes back
 * on close. A shutdown hook could not do this: by then the JVM is already exiting.
 */
final class CtrlC implements AutoCloseable {
    private static final Signal INT = new Signal("INT");
    private final SignalHandler previous;

    private CtrlC(SignalHandler previous) {
        this.previous = previous;
    }

    static CtrlC onInterrupt(Runnable action) {
        SignalHandler previous = null;
        try {
            previous = Signal.handle(INT, signal -> Thread.ofVirtual().name("ctrl-c").start(action));
        } catch (IllegalArgumentException e) {
            // The JVM does not let us handle SIGINT (e.g. -Xrs): Ctrl-C keeps its default meaning, exit.
        }
        return new CtrlC(previous);
    }

    @Override
    public void close() {
        if (previous != null) {
            Signal.handle(INT, previous);
        }
    }
}
