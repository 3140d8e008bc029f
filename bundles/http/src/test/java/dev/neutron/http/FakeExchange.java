package dev.neutron.http;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test double of one HTTP exchange: a request with a method, path, headers and body, and a response that records
 * status, headers and bytes. Only the servlet methods Neutron's handlers call are answered; any other fails the test.
 */
final class FakeExchange {
    private final String method;
    private final String pathInfo;
    private final Map<String, String> requestHeaders = new LinkedHashMap<>();
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private byte[] body = new byte[0];
    private String contentType;
    private String servletPath = "/api/v1/chat/sessions";

    int status = 200;
    String responseContentType;
    /** What the code set with {@code setBufferSize}; 0 if it did not. */
    int responseBufferSize;
    final Map<String, String> responseHeaders = new LinkedHashMap<>();
    final RecordingOutput out = new RecordingOutput();
    FakeAsyncContext async;

    private FakeExchange(String method, String pathInfo) {
        this.method = method;
        this.pathInfo = pathInfo;
    }

    /** A request for {@code /api/v1/chat/sessions} + {@code pathInfo} that passed the browser security filter. */
    static FakeExchange sessions(String method, String pathInfo) {
        return new FakeExchange(method, pathInfo);
    }

    /** A request for another servlet's path, e.g. {@code /api/v1/chat/import}. */
    static FakeExchange at(String method, String servletPath) {
        FakeExchange exchange = new FakeExchange(method, null);
        exchange.servletPath = servletPath;
        return exchange;
    }

    /** A body of any content type. */
    FakeExchange body(byte[] bytes, String type) {
        this.body = bytes;
        this.contentType = type;
        return this;
    }

    FakeExchange json(String json) {
        return json(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON body as raw bytes, which need not be JSON, nor UTF-8. */
    FakeExchange json(byte[] json) {
        this.body = json;
        this.contentType = "application/json";
        return this;
    }

    FakeExchange header(String name, String value) {
        requestHeaders.put(name.toLowerCase(), value);
        return this;
    }

    FakeExchange parameter(String name, String value) {
        parameters.put(name, value);
        return this;
    }

    String text() {
        return out.text();
    }

    HttpServletRequest request() {
        return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, called, args) -> switch (called.getName()) {
                    case "getMethod" -> method;
                    case "getPathInfo" -> pathInfo;
                    case "getServletPath" -> servletPath;
                    case "getRequestURI" -> servletPath + (pathInfo == null ? "" : pathInfo);
                    case "getHeader" -> requestHeaders.get(((String) args[0]).toLowerCase());
                    case "getParameter" -> parameters.get((String) args[0]);
                    case "getContentType" -> contentType;
                    case "getContentLengthLong" -> (long) body.length;
                    case "getInputStream" -> new BodyInput(body);
                    case "getAttribute" -> BrowserSecurityFilter.CHECKED.equals(args[0]) ? Boolean.TRUE : null;
                    case "startAsync" -> async = new FakeAsyncContext();
                    default -> throw new UnsupportedOperationException("FakeExchange request: " + called.getName());
                });
    }

    HttpServletResponse response() {
        return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, called, args) -> switch (called.getName()) {
                    case "setStatus" -> {
                        status = (Integer) args[0];
                        yield null;
                    }
                    case "getStatus" -> status;
                    case "setContentType" -> {
                        responseContentType = (String) args[0];
                        yield null;
                    }
                    case "setHeader" -> {
                        responseHeaders.put((String) args[0], (String) args[1]);
                        yield null;
                    }
                    case "getHeader" -> responseHeaders.get((String) args[0]);
                    case "setBufferSize" -> {
                        responseBufferSize = (Integer) args[0];
                        yield null;
                    }
                    case "setCharacterEncoding", "setContentLengthLong", "resetBuffer" -> null;
                    case "isCommitted" -> out.flushes > 0;
                    case "getOutputStream" -> out;
                    default -> throw new UnsupportedOperationException("FakeExchange response: " + called.getName());
                });
    }

    /**
     * The response body; optionally fails every write, as a socket to a client that went away does, or is not ready
     * (a client that takes no more) until {@link #becomeReady()}.
     */
    static final class RecordingOutput extends ServletOutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        volatile boolean clientGone;
        volatile boolean ready = true;
        volatile int flushes;
        private volatile WriteListener listener;

        @Override
        public synchronized void write(int b) throws IOException {
            if (clientGone) {
                throw new IOException("Broken pipe (test double)");
            }
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (clientGone) {
                throw new IOException("Broken pipe (test double)");
            }
            bytes.write(b, off, len);
        }

        @Override
        public void flush() {
            flushes++;
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setWriteListener(WriteListener writeListener) {
            this.listener = writeListener;
        }

        /** The client takes more again: the container calls the write listener, as Jetty does. */
        void becomeReady() throws IOException {
            ready = true;
            listener.onWritePossible();
        }
    }

    private static final class BodyInput extends ServletInputStream {
        private final ByteArrayInputStream in;

        BodyInput(byte[] body) {
            this.in = new ByteArrayInputStream(body);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
            return in.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException();
        }
    }

}
