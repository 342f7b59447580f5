package dev.contentgen.server.testing;

/** One read of a node's {@code GET /metrics}: the Prometheus text, and sums of its samples. */
public record Scrape(String text) {

    public static Scrape of(Api api) {
        Api.Response response = api.get("/metrics");
        if (response.status() != 200) {
            throw new AssertionError("GET /metrics answered " + response);
        }
        return new Scrape(response.body());
    }

    /** The sum of the samples of {@code name} whose labels contain {@code label} (e.g. {@code reason="client_closed"}), or all. */
    public double sum(String name, String label) {
        return text.lines()
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> label == null || l.substring(0, l.lastIndexOf(' ')).contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    public double sum(String name) {
        return sum(name, null);
    }
}
