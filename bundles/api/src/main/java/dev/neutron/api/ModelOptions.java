package dev.neutron.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The model options a chat or the settings may set, by Ollama's names, and the one check of them: the types and
 * ranges below, nothing else. {@code num_ctx} is a fixed context window that replaces the automatic one;
 * {@code num_predict} caps the answer's tokens.
 *
 * @since 2.2
 */
public final class ModelOptions {
    private record Range(boolean integer, double min, double max) {
    }

    private static final Map<String, Range> NUMBERS = new LinkedHashMap<>();
    /** {@code stop}: at most this many strings, each 1 to {@link #MAX_STOP_CHARS} characters. */
    public static final int MAX_STOPS = 16;
    public static final int MAX_STOP_CHARS = 200;

    static {
        NUMBERS.put("temperature", new Range(false, 0, 2));
        NUMBERS.put("top_p", new Range(false, 0, 1));
        NUMBERS.put("min_p", new Range(false, 0, 1));
        NUMBERS.put("top_k", new Range(true, 0, 1_000));
        NUMBERS.put("seed", new Range(true, Integer.MIN_VALUE, Integer.MAX_VALUE));
        NUMBERS.put("num_predict", new Range(true, -2, 1_048_576));
        NUMBERS.put("num_ctx", new Range(true, 256, 1_048_576));
        NUMBERS.put("repeat_penalty", new Range(false, 0, 10));
        NUMBERS.put("repeat_last_n", new Range(true, -1, 1_048_576));
        NUMBERS.put("presence_penalty", new Range(false, -2, 2));
        NUMBERS.put("frequency_penalty", new Range(false, -2, 2));
    }

    private ModelOptions() {
    }

    /** Every option name this check knows, {@code stop} included. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(NUMBERS.keySet());
        names.add("stop");
        return names;
    }

    /**
     * The options checked and normalised (whole numbers as {@link Long}, the others as {@link Double}, {@code stop} as
     * a list of strings; sorted by name), as parsed from JSON by Jackson (numbers, strings, lists, maps).
     *
     * @throws NeutronException {@code invalid_request} naming the first bad option and what it takes
     */
    public static Map<String, Object> validate(Map<String, ?> options) {
        Map<String, Object> valid = new TreeMap<>();
        if (options == null) {
            return valid;
        }
        for (Map.Entry<String, ?> option : options.entrySet()) {
            String name = option.getKey();
            Object value = option.getValue();
            if ("stop".equals(name)) {
                valid.put(name, stops(value));
                continue;
            }
            Range range = NUMBERS.get(name);
            if (range == null) {
                throw invalid("Unknown model option \"" + name + "\". Known options: " + String.join(", ", names())
                        + ".");
            }
            valid.put(name, number(name, value, range));
        }
        return valid;
    }

    private static Object number(String name, Object value, Range range) {
        if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
            throw invalid("Model option \"" + name + "\" takes a number" + (range.integer ? " (a whole one)" : "")
                    + ", not " + describe(value) + ".");
        }
        double x = number.doubleValue();
        if (range.integer && x != Math.rint(x)) {
            throw invalid("Model option \"" + name + "\" takes a whole number, not " + number + ".");
        }
        if (x < range.min || x > range.max) {
            throw invalid("Model option \"" + name + "\" must be from " + format(range.min, range.integer) + " to "
                    + format(range.max, range.integer) + "; " + number + " is out of range.");
        }
        return range.integer ? (Object) (long) x : (Object) x;
    }

    private static List<String> stops(Object value) {
        if (!(value instanceof List<?> list) || list.size() > MAX_STOPS) {
            throw invalid("Model option \"stop\" takes a list of at most " + MAX_STOPS + " strings.");
        }
        List<String> stops = new ArrayList<>();
        for (Object stop : list) {
            if (!(stop instanceof String text) || text.isEmpty() || text.length() > MAX_STOP_CHARS) {
                throw invalid("Each \"stop\" sequence is a string of 1 to " + MAX_STOP_CHARS + " characters, not "
                        + describe(stop) + ".");
            }
            stops.add(text);
        }
        return List.copyOf(stops);
    }

    /**
     * Options as kept in records: sorted by name, unmodifiable, whole numbers as {@link Long} and other numbers as
     * {@link Double} (as {@link #validate} gives them), lists copied; so options read back from JSON (where Jackson
     * makes {@code 42} an {@link Integer}) equal the ones that were written.
     */
    static Map<String, Object> canonical(Map<String, ?> options) {
        Map<String, Object> canonical = new TreeMap<>();
        if (options != null) {
            options.forEach((name, value) -> canonical.put(name, canonicalValue(value)));
        }
        return Collections.unmodifiableMap(canonical);
    }

    private static Object canonicalValue(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        if (value instanceof Float || value instanceof BigDecimal) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof List<?> list) {
            return Collections.unmodifiableList(new ArrayList<>(list));
        }
        return value;
    }

    /** @throws NeutronException {@code invalid_request} unless {@code think} is null or one of {@link ChatSettings#THINK_VALUES} */
    public static String validateThink(String think) {
        if (think != null && !ChatSettings.THINK_VALUES.contains(think)) {
            throw invalid("\"think\" is one of " + String.join(", ", ChatSettings.THINK_VALUES) + ", or null for the "
                    + "default; not \"" + think + "\".");
        }
        return think;
    }

    private static String describe(Object value) {
        return value == null ? "null" : value instanceof String s ? "the string \"" + s + "\"" : value.toString();
    }

    private static String format(double bound, boolean integer) {
        return integer ? Long.toString((long) bound) : Double.toString(bound);
    }

    private static NeutronException invalid(String message) {
        return new NeutronException(ErrorCode.INVALID_REQUEST, message);
    }
}
