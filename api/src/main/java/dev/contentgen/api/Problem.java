package dev.contentgen.api;

/** An RFC 9457 problem detail with our stable {@code code}. */
public record Problem(String type, String title, int status, String detail, ErrorCode code, String instance) {
    public static Problem of(ErrorCode code, String detail, String instance) {
        return new Problem("https://contentgen.dev/problems/" + code.name().toLowerCase().replace('_', '-'),
                titleOf(code), code.httpStatus(), detail, code, instance);
    }

    private static String titleOf(ErrorCode code) {
        String words = code.name().toLowerCase().replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
