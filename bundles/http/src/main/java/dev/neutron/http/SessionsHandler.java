package dev.neutron.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Answers the requests for the resources of one {@link SessionsRoute}. */
interface SessionsHandler {
    void handle(SessionsRoute route, HttpServletRequest request, HttpServletResponse response) throws IOException;
}
