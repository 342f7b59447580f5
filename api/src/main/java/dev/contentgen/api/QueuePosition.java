package dev.contentgen.api;

/**
 * Where a waiting job stands: {@code position} 1 is next; {@code ahead} jobs wait before it (every
 * pending job created before it, on any node); {@code busy} jobs are running on the cluster;
 * {@code workers} is how many jobs the cluster runs at once (the sum of its live nodes' {@code --workers}).
 */
public record QueuePosition(long position, long ahead, int workers, long busy) {}
