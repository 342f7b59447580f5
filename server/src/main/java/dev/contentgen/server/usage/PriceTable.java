package dev.contentgen.server.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What tokens cost, per model: US dollars per million input and per million output tokens, read
 * from an operator's file ({@code --prices}, YAML or JSON) and checked whole at start-up. A model is
 * looked up as {@code provider/model} first, then as {@code model}.
 *
 * <pre>
 * models:
 *   gpt-4o-mini: {input: 0.15, output: 0.60}
 *   anthropic/claude-sonnet-4-5: {input: 3, output: 15}
 * </pre>
 */
public final class PriceTable {
    /** One model's prices, USD per million tokens. */
    public record Price(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {}

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    /** Costs are kept to a millionth of a cent: far below any price, and stable to add up. */
    private static final int COST_SCALE = 8;

    public static final PriceTable NONE = new PriceTable(Map.of());

    private final Map<String, Price> prices;

    PriceTable(Map<String, Price> prices) {
        this.prices = Map.copyOf(prices);
    }

    /** The table in {@code file}; null means no table (no costs). Every problem names the file and line. */
    public static PriceTable load(Path file) {
        if (file == null) {
            return NONE;
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new PriceTableException(file.toString(), 0, "no such file");
        } catch (IOException e) {
            throw new PriceTableException(file.toString(), 0, "cannot be read: " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    /** The table {@code text} defines: JSON when {@code name} ends in .json, else YAML. */
    public static PriceTable parse(String name, String text) {
        JsonFactory factory = name.toLowerCase(Locale.ROOT).endsWith(".json") ? new JsonFactory() : new YAMLFactory();
        try (JsonParser parser = factory.createParser(text)) {
            return new Reader(name, parser).read();
        } catch (JsonProcessingException e) {
            throw new PriceTableException(name, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), e.getOriginalMessage());
        } catch (IOException e) {
            throw new PriceTableException(name, 0, "cannot be read: " + e.getMessage());
        }
    }

    public boolean isEmpty() {
        return prices.isEmpty();
    }

    public int size() {
        return prices.size();
    }

    /** The price of {@code model} under {@code provider}, if the table has one. */
    public Optional<Price> price(String provider, String model) {
        Price price = prices.get(provider + "/" + model);
        return Optional.ofNullable(price != null ? price : prices.get(model));
    }

    /** What the tokens cost in USD, or null when the table has no price for the model. */
    public Double cost(String provider, String model, long inputTokens, long outputTokens) {
        return price(provider, model).map(p -> BigDecimal.valueOf(inputTokens).multiply(p.inputPerMillion())
                        .add(BigDecimal.valueOf(outputTokens).multiply(p.outputPerMillion()))
                        .divide(MILLION, COST_SCALE, RoundingMode.HALF_UP)
                        .doubleValue())
                .orElse(null);
    }

    /** Walks the file's tokens, so every error can say on which line it is. */
    private static final class Reader {
        private final String name;
        private final JsonParser parser;

        Reader(String name, JsonParser parser) {
            this.name = name;
            this.parser = parser;
        }

        PriceTable read() throws IOException {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw fail("the file is empty; it needs a 'models' mapping");
            }
            expect(first, JsonToken.START_OBJECT, "the file must be a mapping with one key, 'models'");
            Map<String, Price> prices = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                if (!key.equals("models")) {
                    throw fail("unknown key '" + key + "' (the only key is 'models')");
                }
                if (prices != null) {
                    throw fail("'models' appears twice");
                }
                prices = models();
            }
            if (prices == null) {
                throw fail("no 'models' mapping");
            }
            return new PriceTable(prices);
        }

        private Map<String, Price> models() throws IOException {
            expect(parser.nextToken(), JsonToken.START_OBJECT, "'models' must map model names to {input, output} prices");
            Map<String, Price> prices = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String model = parser.currentName().strip();
                if (model.isEmpty()) {
                    throw fail("a model name is empty");
                }
                if (prices.containsKey(model)) {
                    throw fail("model '" + model + "' is priced twice");
                }
                prices.put(model, price(model, line()));
            }
            return prices;
        }

        /** {@code line}: where the model's name is, which a missing price is reported against. */
        private Price price(String model, int line) throws IOException {
            expect(parser.nextToken(), JsonToken.START_OBJECT,
                    "model '" + model + "' needs a mapping: {input: USD per million input tokens, output: USD per million output tokens}");
            BigDecimal input = null;
            BigDecimal output = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                switch (key) {
                    case "input" -> input = amount(model, key);
                    case "output" -> output = amount(model, key);
                    default -> throw fail("model '" + model + "': unknown key '" + key + "' (the keys are 'input' and 'output')");
                }
            }
            if (input == null || output == null) {
                throw new PriceTableException(name, line, "model '" + model + "' needs both 'input' and 'output' (USD per million tokens)");
            }
            return new Price(input, output);
        }

        private BigDecimal amount(String model, String key) throws IOException {
            JsonToken token = parser.nextToken();
            BigDecimal value;
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                value = parser.getDecimalValue();
            } else if (token == JsonToken.VALUE_STRING) {
                // YAML reads "0.15" unquoted as a number; a quoted number is still plainly meant as one.
                try {
                    value = new BigDecimal(parser.getText().strip());
                } catch (NumberFormatException e) {
                    throw fail("model '" + model + "': '" + key + "' must be a number of USD per million tokens, not '" + parser.getText() + "'");
                }
            } else {
                throw fail("model '" + model + "': '" + key + "' must be a number of USD per million tokens");
            }
            if (value.signum() < 0) {
                throw fail("model '" + model + "': '" + key + "' must not be negative");
            }
            return value;
        }

        private void expect(JsonToken actual, JsonToken wanted, String problem) {
            if (actual != wanted) {
                throw fail(problem);
            }
        }

        private int line() {
            return parser.currentTokenLocation().getLineNr();
        }

        private PriceTableException fail(String problem) {
            return new PriceTableException(name, line(), problem);
        }
    }
}
