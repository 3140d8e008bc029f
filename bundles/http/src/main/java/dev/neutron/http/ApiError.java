package dev.neutron.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;

/** The single place where failures become {@code {"error":{"code","message"}}} responses. */
final class ApiError {
    private static final System.Logger LOG = System.getLogger(ApiError.class.getName());

    private ApiError() {
    }

    static Map<String, Object> body(String code, String message) {
        return Map.of("error", Map.of("code", code, "message", message));
    }

    static NeutronException fromJson(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return new NeutronException(ErrorCode.INVALID_REQUEST, "Unknown field '" + unknown.getPropertyName()
                    + "'. Allowed fields: " + unknown.getKnownPropertyIds().stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(", ")) + ".");
        }
        if (e instanceof MismatchedInputException && e.getOriginalMessage().startsWith("Trailing token")) {
            return new NeutronException(ErrorCode.INVALID_JSON,
                    "The request body is not valid JSON: it continues after the first JSON value.");
        }
        if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
            JsonMappingException mapping = (JsonMappingException) e;
            String field = mapping.getPath().stream().map(ref -> ref.getFieldName() == null
                    ? "[" + ref.getIndex() + "]" : ref.getFieldName()).collect(Collectors.joining("."));
            return new NeutronException(ErrorCode.INVALID_REQUEST, field.isEmpty()
                    ? "The request body has the wrong shape: expected a JSON object."
                    : "Field '" + field + "' has the wrong type.");
        }
        return new NeutronException(ErrorCode.INVALID_JSON, "The request body is not valid JSON: "
                + e.getOriginalMessage());
    }

    static void write(HttpServletResponse response, NeutronException e) throws IOException {
        write(response, e.code().httpStatus(), e.code().code(), e.getMessage());
    }

    static void write(HttpServletResponse response, int status, String code, String message) throws IOException {
        if (response.isCommitted()) {
            LOG.log(System.Logger.Level.WARNING, "Cannot send error " + code + " (" + message + "): response already committed");
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        Json.MAPPER.writeValue(response.getOutputStream(), body(code, message));
    }
}
