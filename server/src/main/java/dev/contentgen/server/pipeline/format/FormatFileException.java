package dev.contentgen.server.pipeline.format;

/** A format file that cannot be used, with the file and line to fix. */
public final class FormatFileException extends IllegalArgumentException {
    public FormatFileException(String file, int line, String problem) {
        super(file + (line > 0 ? " line " + line : "") + ": " + problem);
    }
}
