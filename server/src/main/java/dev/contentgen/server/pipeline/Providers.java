package dev.contentgen.server.pipeline;

import dev.contentgen.api.JobRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The providers this node offers, each with its models, and the default a job gets when it names
 * none. The API validates a job's choice here; the pipeline resolves it here.
 */
public final class Providers implements AutoCloseable {
    /** One offered provider: its models, the first being its default. */
    public record Offer(Provider provider, List<String> models) {
        public String defaultModel() {
            return models.getFirst();
        }
    }

    /** What a job runs with. */
    public record Choice(Provider provider, String model) {}

    /** What {@code GET /api/providers} shows. */
    public record Listing(String defaultProvider, List<Entry> providers) {
        /** One provider as the UI sees it. */
        public record Entry(String name, String defaultModel, List<String> models) {}
    }

    private final String defaultName;
    private final Map<String, Offer> offers = new LinkedHashMap<>();

    public Providers(Provider defaultProvider, List<String> defaultModels) {
        this.defaultName = defaultProvider.name();
        add(defaultProvider, defaultModels);
    }

    public Providers add(Provider provider, List<String> models) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("provider " + provider.name() + " needs at least one model");
        }
        offers.putIfAbsent(provider.name(), new Offer(provider, List.copyOf(models)));
        return this;
    }

    public Provider defaultProvider() {
        return offers.get(defaultName).provider();
    }

    public List<String> names() {
        return List.copyOf(offers.keySet());
    }

    public Optional<Offer> offer(String name) {
        return Optional.ofNullable(offers.get(name));
    }

    /** The provider and model a job runs with: its own choice, else the defaults. */
    public Choice resolve(JobRequest request) {
        Offer offer = request.provider() == null ? offers.get(defaultName) : offers.get(request.provider());
        if (offer == null) {
            // The job was created on a node offering a provider this one lacks.
            throw new IllegalStateException("this node does not offer provider '" + request.provider()
                    + "'; it offers " + String.join(", ", names()));
        }
        return new Choice(offer.provider(), request.model() == null ? offer.defaultModel() : request.model());
    }

    /** Releases what the providers hold (HTTP clients, threads). */
    @Override
    public void close() {
        for (Offer offer : offers.values()) {
            if (offer.provider() instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // Stopping anyway; a provider that cannot close cleanly holds nothing we still need.
                }
            }
        }
    }

    public Listing listing() {
        List<Listing.Entry> entries = new ArrayList<>();
        offers.forEach((name, offer) -> entries.add(new Listing.Entry(name, offer.defaultModel(), offer.models())));
        return new Listing(defaultName, entries);
    }
}
