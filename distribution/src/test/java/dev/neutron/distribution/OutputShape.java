package dev.neutron.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that what a command printed has the shape its documentation shows: the same JSON fields (recursively, with
 * the same kinds of values), the same error codes and line types, the same SSE events in order, the same headers.
 * Values that change per run (ids, times, the model's words) are not compared; ids are remembered instead, so a later
 * example that uses a documented id is run with the real one.
 *
 * <p>Elisions: {@code {…}} in a documented JSON value stands for any object, a {@code …} line for any number of lines,
 * and a key list ending in {@code ,…}} for more fields.
 */
final class OutputShape {
    static final Pattern ID = Pattern.compile("\\b(?:chat|att|msg)_[0-9a-f]{12,32}\\b");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MORE = "\u2026";
    private static final Set<String> EXACT_FIELDS = Set.of("code", "type", "role", "kind", "contentType");

    private final Map<String, String> ids;
    private final List<String> problems = new ArrayList<>();

    OutputShape(Map<String, String> ids) {
        this.ids = ids;
    }

    List<String> compare(List<String> documented, String actualText) {
        problems.clear();
        List<String> actual = actualText.lines().toList();
        List<String> doc = documented.stream().filter(l -> !l.isBlank()).toList();
        String first = doc.stream().filter(l -> !l.strip().equals(MORE)).findFirst().orElse("");
        if (doc.isEmpty()) {
            if (!actualText.isBlank()) {
                problems.add("the documentation shows no output, but it printed: " + actualText);
            }
        } else if (first.startsWith("retry:") || first.startsWith("id:") || first.startsWith("event:")) {
            compareEvents(documented, actual);
        } else if (first.startsWith("{")) {
            compareJsonLines(doc, actual.stream().filter(l -> !l.isBlank()).toList());
        } else if (first.matches("[A-Za-z-]+: .*")) {
            compareHeaders(doc, actual);
        } else if (!(doc.size() == 1 && doc.get(0).strip().equals(MORE))) {
            problems.add("documented output of an unknown kind: " + doc.get(0));
        }
        return List.copyOf(problems);
    }

    private void compareJsonLines(List<String> doc, List<String> actual) {
        List<JsonNode> actualNodes = new ArrayList<>();
        for (String line : actual) {
            JsonNode node = parse(line, "printed");
            if (node != null) {
                actualNodes.add(node);
            }
        }
        for (String line : doc) {
            if (line.strip().equals(MORE)) {
                continue;
            }
            JsonNode expected = parse(elisionsAsMarkers(line), "documented");
            if (expected == null) {
                continue;
            }
            List<JsonNode> sameType = actualNodes.stream().filter(a -> sameType(expected, a)).toList();
            if (sameType.isEmpty()) {
                problems.add("nothing printed looks like the documented " + line);
                continue;
            }
            List<String> closest = null;
            for (JsonNode candidate : sameType) {
                List<String> found = new ArrayList<>();
                compareNode("$", expected, candidate, found);
                if (closest == null || found.size() < closest.size()) {
                    closest = found;
                }
            }
            problems.addAll(closest);
        }
    }

    private static boolean sameType(JsonNode expected, JsonNode actual) {
        return !expected.has("type") || expected.get("type").equals(actual.get("type"));
    }

    private void compareEvents(List<String> documented, List<String> actual) {
        List<String[]> expected = events(documented);
        List<String[]> got = events(actual);
        int prefix = documented.stream().map(String::strip).toList().indexOf(MORE);
        int expectedBeforeGap = 0;
        for (String[] event : expected) {
            if (event[3] != null) {
                break;
            }
            expectedBeforeGap++;
        }
        if (got.size() < expected.size()) {
            problems.add("documented " + expected.size() + " events, printed only " + got.size());
            return;
        }
        for (int i = 0; i < expected.size(); i++) {
            boolean afterGap = prefix >= 0 && i >= expectedBeforeGap;
            String[] want = expected.get(i);
            String[] have = afterGap ? got.get(got.size() - (expected.size() - i)) : got.get(i);
            if (!want[1].equals(have[1])) {
                problems.add("event " + (i + 1) + ": documented '" + want[1] + "', printed '" + have[1] + "'");
            } else if (!afterGap && !want[0].equals(have[0])) {
                problems.add("event " + (i + 1) + ": documented id " + want[0] + ", printed id " + have[0]);
            } else if (want[2] != null) {
                JsonNode doc = parse(elisionsAsMarkers(want[2]), "documented");
                JsonNode printed = parse(have[2], "printed");
                if (doc != null && printed != null) {
                    compareNode(want[1] + " data", doc, printed);
                }
            }
        }
    }

    /** Events as {id, event, data, afterGap-marker}. */
    private static List<String[]> events(List<String> lines) {
        List<String[]> events = new ArrayList<>();
        String id = null;
        String type = null;
        String data = null;
        boolean gapSeen = false;
        boolean startedAfterGap = false;
        for (String line : lines) {
            if (line.strip().equals(MORE)) {
                gapSeen = true;
            } else if (line.startsWith("id: ")) {
                id = line.substring(4);
                startedAfterGap = gapSeen;
            } else if (line.startsWith("event: ")) {
                type = line.substring(7);
                startedAfterGap = id == null ? gapSeen : startedAfterGap;
            } else if (line.startsWith("data: ")) {
                data = line.substring(6);
            } else if (line.isBlank() && type != null) {
                events.add(new String[] {id, type, data, startedAfterGap ? "gap" : null});
                id = type = data = null;
            }
        }
        if (type != null) {
            events.add(new String[] {id, type, data, startedAfterGap ? "gap" : null});
        }
        return events;
    }

    private void compareHeaders(List<String> doc, List<String> actual) {
        for (String line : doc) {
            String name = line.substring(0, line.indexOf(':'));
            String value = line.substring(line.indexOf(':') + 1).strip();
            String printed = actual.stream().filter(a -> a.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                    .map(a -> a.substring(a.indexOf(':') + 1).strip()).findFirst().orElse(null);
            if (printed == null) {
                problems.add("header " + name + " is documented but was not printed");
            } else if (name.equalsIgnoreCase("Content-Type") && !printed.equalsIgnoreCase(value)) {
                problems.add("Content-Type: documented " + value + ", printed " + printed);
            }
        }
    }

    private void compareNode(String path, JsonNode doc, JsonNode actual) {
        compareNode(path, doc, actual, problems);
    }

    private void compareNode(String path, JsonNode doc, JsonNode actual, List<String> problems) {
        if (doc.isNull() || actual.isNull()) {
            return;
        }
        if (doc.isObject()) {
            if (!actual.isObject()) {
                problems.add(path + ": documented an object, printed " + actual);
                return;
            }
            boolean more = doc.has(MORE);
            for (Iterator<String> names = doc.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (name.equals(MORE)) {
                    continue;
                }
                if (!actual.has(name)) {
                    problems.add(path + "." + name + " is documented but was not printed");
                } else if (!doc.get(name).isObject() || !doc.get(name).has(MORE) || doc.get(name).size() > 1) {
                    compareNode(path + "." + name, doc.get(name), actual.get(name), problems);
                }
            }
            if (!more) {
                for (Iterator<String> names = actual.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (!doc.has(name)) {
                        problems.add(path + "." + name + " was printed but is not documented");
                    }
                }
            }
        } else if (doc.isArray()) {
            if (!actual.isArray()) {
                problems.add(path + ": documented an array, printed " + actual);
            } else if (!doc.isEmpty() && !actual.isEmpty()) {
                compareNode(path + "[0]", doc.get(0), actual.get(0), problems);
            }
        } else if (doc.getNodeType() != actual.getNodeType()) {
            problems.add(path + ": documented " + doc + ", printed " + actual);
        } else if (doc.isTextual()) {
            String name = path.substring(path.lastIndexOf('.') + 1);
            if (EXACT_FIELDS.contains(name) && !doc.asText().equals(actual.asText())) {
                problems.add(path + ": documented \"" + doc.asText() + "\", printed \"" + actual.asText() + "\"");
            }
            Matcher id = ID.matcher(doc.asText());
            Matcher printedId = ID.matcher(actual.asText());
            if (id.matches() && printedId.matches()) {
                ids.putIfAbsent(doc.asText(), actual.asText());
            }
        }
    }

    /** {@code {…}} becomes an object of one marker field, {@code ,…}} a marker field. */
    private static String elisionsAsMarkers(String line) {
        return line.replace("{" + MORE + "}", "{\"" + MORE + "\":true}")
                .replace("," + MORE + "}", ",\"" + MORE + "\":true}");
    }

    private JsonNode parse(String text, String which) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            problems.add("the " + which + " line is not JSON: " + text);
            return null;
        }
    }
}
