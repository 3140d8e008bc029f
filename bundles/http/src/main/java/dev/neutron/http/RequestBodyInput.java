package dev.neutron.http;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeoutException;

/**
 * A request body whose read failures are client errors: a body that stops arriving is a 408, a body the container
 * cannot decode (a malformed chunked encoding, say) a 400. Either way the client caused it, so it is never a 500.
 */
final class RequestBodyInput extends FilterInputStream {
    RequestBodyInput(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    static NeutronException failure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException) {
                return new NeutronException(ErrorCode.REQUEST_TIMEOUT, "The request body stopped arriving before it "
                        + "was complete, and the server gave up waiting. Send the whole body without pausing.", e);
            }
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new NeutronException(ErrorCode.INVALID_REQUEST, "The request body could not be read (" + detail
                + "). Check its Content-Length or chunked encoding.", e);
    }
}
