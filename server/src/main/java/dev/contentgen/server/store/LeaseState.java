package dev.contentgen.server.store;

/** What a lease renewal found. */
public enum LeaseState { HELD, CANCEL_REQUESTED, LOST }
