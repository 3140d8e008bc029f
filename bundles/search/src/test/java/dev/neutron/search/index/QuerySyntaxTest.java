package dev.neutron.search.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.neutron.api.ErrorCode;
import dev.neutron.api.NeutronException;
import dev.neutron.search.index.QuerySyntax.Clause;
import dev.neutron.search.index.QuerySyntax.Kind;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class QuerySyntaxTest {

    @Test
    void splitsWordsPhrasesPrefixesAndExclusions() {
        assertEquals(List.of(
                        new Clause(Kind.WORD, "kafka", false),
                        new Clause(Kind.PHRASE, "consumer group", false),
                        new Clause(Kind.PREFIX, "java", false),
                        new Clause(Kind.WORD, "python", true),
                        new Clause(Kind.PHRASE, "old answer", true),
                        new Clause(Kind.WORD, "c++", false),
                        new Clause(Kind.WORD, "what?", false),
                        new Clause(Kind.WORD, "-", false),
                        new Clause(Kind.WORD, "e-mail", false)),
                QuerySyntax.parse("  kafka \"consumer group\" java* -python -\"old answer\" c++ what? - e-mail "));
    }

    @Test
    void anEmptyPhraseIsIgnored() {
        assertEquals(List.of(new Clause(Kind.WORD, "x", false)), QuerySyntax.parse("\"\" x"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                      | The search query is empty",
            "'   '                   | The search query is empty",
            "'\"unclosed phrase'     | unclosed quote",
            "'a \"b c'               | unclosed quote",
            "'*'                     | '*' is not a valid prefix",
            "'j*'                    | 'j*' is not a valid prefix",
            "'*java'                 | '*java' is not a valid prefix",
            "'ja*va'                 | 'ja*va' is not a valid prefix",
            "'\"java scr*\"'         | does not work inside a phrase",
            "'-java'                 | only excludes words",
            "'-java -\"x y\"'        | only excludes words",
    })
    void refusesMalformedQueriesWithAMessageThatSaysWhy(String query, String message) {
        NeutronException e = assertThrows(NeutronException.class, () -> QuerySyntax.parse(query));
        assertEquals(ErrorCode.INVALID_REQUEST, e.code());
        assertEquals(true, e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void refusesTooLongAndTooManyWordQueries() {
        assertEquals(ErrorCode.INVALID_REQUEST, assertThrows(NeutronException.class,
                () -> QuerySyntax.parse("a".repeat(QuerySyntax.MAX_CHARS + 1))).code());
        assertEquals("The search query has 33 words or phrases; at most 32 are allowed.",
                assertThrows(NeutronException.class, () -> QuerySyntax.parse("w ".repeat(33))).getMessage());
        assertEquals(32, QuerySyntax.parse("w ".repeat(32)).size());
    }
}
