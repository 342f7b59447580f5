package dev.contentgen.api;

/**
 * What one step used: the tokens its provider reported ({@code inputTokens} for the prompt,
 * {@code outputTokens} for the text it wrote), and what they cost in US dollars when the node that
 * ran the step has a price for the model (else null).
 */
public record StepUsage(String provider, String model, long inputTokens, long outputTokens, Double costUsd) {}
