package dev.contentgen.client;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/** Iterates a source that blocks for its next item and answers null once it has no more (a stream's resumer). */
final class PullIterator<T> implements Iterator<T> {
    private final Supplier<T> source;
    private T next;

    PullIterator(Supplier<T> source) {
        this.source = source;
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            next = source.get();
        }
        return next != null;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T item = next;
        next = null;
        return item;
    }
}
