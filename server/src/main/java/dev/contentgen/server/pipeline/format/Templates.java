package dev.contentgen.server.pipeline.format;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code {{placeholder}}} templates: the names a template uses, and the template filled in. */
public final class Templates {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([\\w:-]+)}}");

    private Templates() {}

    public static Set<String> placeholders(String template) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(template == null ? "" : template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Fills each placeholder with {@code value}'s answer; a null answer fails with {@code unknown}'s message. */
    public static String fill(String template, Function<String, String> value, Function<String, String> unknown) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = value.apply(m.group(1));
            if (v == null) {
                throw new IllegalStateException(unknown.apply(m.group(1)));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    public static String fill(String template, Map<String, String> values, String what) {
        return fill(template, values::get, name -> what + " uses an unknown placeholder {{" + name + "}}; known: "
                + String.join(", ", values.keySet().stream().sorted().toList()));
    }
}
