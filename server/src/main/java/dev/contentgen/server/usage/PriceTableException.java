package dev.contentgen.server.usage;

/** A price file that cannot be used, with the file and line to fix. */
public final class PriceTableException extends IllegalArgumentException {
    public PriceTableException(String file, int line, String problem) {
        super("price table " + file + (line > 0 ? " line " + line : "") + ": " + problem);
    }
}
