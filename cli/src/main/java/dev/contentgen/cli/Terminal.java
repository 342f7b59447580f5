package dev.contentgen.cli;

import java.io.Console;

/** Whether a person is at a terminal: decides between a progress line and plain lines, and whether to ask on Ctrl-C. */
final class Terminal {
    private Terminal() {}

    static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // JDK 22+ may return a Console even when redirected; isTerminal() tells the truth there.
            return (boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a non-null console is a terminal.
        }
    }
}
