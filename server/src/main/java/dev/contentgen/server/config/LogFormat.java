package dev.contentgen.server.config;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Locale;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * How the process writes its log: {@code plain} lines (the default, from logback.xml), or {@code json}, one object
 * per line with the message, level, logger, thread, time, and each key-value pair of the line as a field of its
 * own (the stream lines' {@code tag}, {@code job}, {@code reason}, {@code sent}, {@code replayed}, {@code durationMs}…).
 */
public enum LogFormat {
    PLAIN, JSON;

    /** The name of logback.xml's console appender, which {@link #apply()} replaces. */
    static final String CONSOLE = "STDOUT";

    public static LogFormat parse(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "plain" -> PLAIN;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("--log-format must be plain or json, not '" + value + "'");
        };
    }

    /** Switches the process's console log to this format; plain leaves logback.xml's appender as it is. */
    public void apply() {
        if (this == PLAIN) {
            return;
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(CONSOLE);
        console.setEncoder(jsonEncoder(context));
        console.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(console);
    }

    /** The encoder of the json format: one JSON object per event, ending in a newline. */
    public static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }
}
