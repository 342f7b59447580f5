package dev.contentgen.server.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.contentgen.server.Node;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The price file: its cost arithmetic, and errors that name the file and line at start-up (README "Tokens and cost"). */
class PriceTableTest {
    @TempDir
    Path dir;

    @Test
    void costIsTokensTimesThePricePerMillion() {
        PriceTable table = PriceTable.parse("prices.yaml", """
                models:
                  gpt-4o-mini: {input: 0.15, output: 0.60}
                  anthropic/claude: {input: 3, output: 15}
                """);
        assertThat(table.cost("openai", "gpt-4o-mini", 1_000_000, 0)).isEqualTo(0.15);
        assertThat(table.cost("openai", "gpt-4o-mini", 2_000, 500)).isEqualTo(0.0006); // 0.0003 + 0.0003
        assertThat(table.cost("anthropic", "claude", 1234, 567)).isEqualTo(0.012207); // 0.003702 + 0.008505
        assertThat(table.cost("anthropic", "claude", 1, 1)).isEqualTo(0.000018);
        // A provider-qualified price applies to that provider only; an unknown model has no cost.
        assertThat(table.cost("ollama", "claude", 1000, 1000)).isNull();
        assertThat(table.cost("openai", "gpt-4o", 1000, 1000)).isNull();
        assertThat(table.cost("openai", "gpt-4o-mini", 0, 0)).isEqualTo(0.0);
    }

    @Test
    void aProviderQualifiedPriceWinsOverThePlainModelName() {
        PriceTable table = PriceTable.parse("prices.json", """
                {"models": {"llama3": {"input": 1, "output": 1}, "ollama/llama3": {"input": 0, "output": 0}}}""");
        assertThat(table.cost("ollama", "llama3", 1_000_000, 1_000_000)).isEqualTo(0.0);
        assertThat(table.cost("openai", "llama3", 1_000_000, 1_000_000)).isEqualTo(2.0);
    }

    @Test
    void everyMistakeNamesTheFileAndTheLine() {
        assertError("""
                models:
                  gpt-4o-mini:
                    input: 0.15
                """, "price table p.yaml line 2: model 'gpt-4o-mini' needs both 'input' and 'output'");
        assertError("""
                models:
                  gpt-4o-mini:
                    input: 0.15
                    output: -1
                """, "price table p.yaml line 4: model 'gpt-4o-mini': 'output' must not be negative");
        assertError("""
                models:
                  gpt-4o-mini:
                    input: cheap
                    output: 1
                """, "price table p.yaml line 3: model 'gpt-4o-mini': 'input' must be a number of USD per million tokens, not 'cheap'");
        assertError("""
                models:
                  gpt-4o-mini: {input: 1, output: 1, currency: EUR}
                """, "price table p.yaml line 2: model 'gpt-4o-mini': unknown key 'currency'");
        assertError("""
                prices:
                  gpt-4o-mini: {input: 1, output: 1}
                """, "price table p.yaml line 1: unknown key 'prices' (the only key is 'models')");
        assertError("models: 3\n", "price table p.yaml line 1: 'models' must map model names");
        assertError("", "price table p.yaml line 1: the file is empty");
        assertError("""
                models:
                  a: {input: 1, output: 1}
                  a: {input: 2, output: 2}
                """, "price table p.yaml line 3: model 'a' is priced twice");
        assertError("models: {a: [1, 2]}\n", "price table p.yaml line 1: model 'a' needs a mapping");
    }

    @Test
    void aBrokenPriceFileStopsTheNodeBeforeItStarts() throws Exception {
        Path file = Files.writeString(dir.resolve("prices.yaml"), "models:\n  m: {input: 1}\n");
        assertThatThrownBy(() -> new Node(TestNodes.config(dir).withPricesFile(file)).start())
                .isInstanceOf(PriceTableException.class)
                .hasMessage("price table " + file + " line 2: model 'm' needs both 'input' and 'output' (USD per million tokens)");
        assertThatThrownBy(() -> new Node(TestNodes.config(dir).withPricesFile(dir.resolve("missing.yaml"))).start())
                .hasMessage("price table " + dir.resolve("missing.yaml") + ": no such file");
    }

    private static void assertError(String text, String messageStart) {
        assertThatThrownBy(() -> PriceTable.parse("p.yaml", text))
                .isInstanceOf(PriceTableException.class)
                .hasMessageStartingWith(messageStart);
    }
}
