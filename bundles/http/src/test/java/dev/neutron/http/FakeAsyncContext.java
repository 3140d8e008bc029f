package dev.neutron.http;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Test double of a container's async context: counts completions and, like a container, refuses a second one. */
final class FakeAsyncContext implements AsyncContext {
    final AtomicInteger completions = new AtomicInteger();
    final List<AsyncListener> listeners = new CopyOnWriteArrayList<>();
    volatile long timeout = -1;

    @Override
    public void complete() {
        if (completions.incrementAndGet() > 1) {
            throw new IllegalStateException("AsyncContext completed twice (test double)");
        }
        for (AsyncListener listener : listeners) {
            try {
                listener.onComplete(new AsyncEvent(this));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** What the container does when the client's connection fails. */
    void failFromContainer() throws java.io.IOException {
        for (AsyncListener listener : listeners) {
            listener.onError(new AsyncEvent(this));
        }
    }

    @Override
    public void addListener(AsyncListener listener) {
        listeners.add(listener);
    }

    @Override
    public void setTimeout(long timeout) {
        this.timeout = timeout;
    }

    @Override
    public long getTimeout() {
        return timeout;
    }

    @Override
    public ServletRequest getRequest() {
        return null;
    }

    @Override
    public ServletResponse getResponse() {
        return null;
    }

    @Override
    public boolean hasOriginalRequestAndResponse() {
        return true;
    }

    @Override
    public void dispatch() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void dispatch(String path) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void dispatch(ServletContext context, String path) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void start(Runnable run) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void addListener(AsyncListener listener, ServletRequest request, ServletResponse response) {
        listeners.add(listener);
    }

    @Override
    public <T extends AsyncListener> T createListener(Class<T> type) {
        throw new UnsupportedOperationException();
    }
}
