package dev.contentgen.server.pipeline;

import java.util.ArrayList;
import java.util.List;

/** Splits text into word tokens that keep their trailing whitespace, so joining them restores the text. */
final class Tokens {
    private Tokens() {}

    static List<String> split(String text) {
        List<String> tokens = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            tokens.add(text.substring(start, i));
            start = i;
        }
        return tokens;
    }
}
