package dev.neutron.search.index;

import dev.neutron.api.ChatSession;
import dev.neutron.search.SearchRequest;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.QueryBuilder;

/**
 * A parsed query and the request's filters as one Lucene query: each word or phrase must occur (as stems), each
 * prefix must start a word as written.
 */
final class QueryTranslator {
    private static final Set<String> ROLES = Set.of("user", "assistant");

    private final Analyzers analyzers;
    private final QueryBuilder stems;

    QueryTranslator(Analyzers analyzers) {
        this.analyzers = analyzers;
        this.stems = new QueryBuilder(analyzers.query);
    }

    Query translate(List<QuerySyntax.Clause> clauses, SearchRequest request) {
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        boolean findsSomething = false;
        for (QuerySyntax.Clause clause : clauses) {
            Query part = clause(clause);
            if (part == null) {
                continue;
            }
            query.add(part, clause.excluded() ? Occur.MUST_NOT : Occur.MUST);
            findsSomething |= !clause.excluded();
        }
        if (!findsSomething) {
            throw QuerySyntax.invalid("The search query has no words to look for (only punctuation, or only "
                    + "excluded words): type at least one word.");
        }
        filters(query, request);
        return query.build();
    }

    private Query clause(QuerySyntax.Clause clause) {
        if (clause.kind() == QuerySyntax.Kind.PREFIX) {
            return new PrefixQuery(new Term(IndexFields.TEXT, analyzers.query.normalize(IndexFields.TEXT, clause.text())));
        }
        return stems.createPhraseQuery(IndexFields.TEXT, clause.text());
    }

    private static void filters(BooleanQuery.Builder query, SearchRequest request) {
        if (request.model() != null) {
            query.add(new TermQuery(new Term(IndexFields.MODEL, request.model())), Occur.FILTER);
        }
        if (request.role() != null) {
            if (!ROLES.contains(request.role())) {
                throw QuerySyntax.invalid("role must be 'user' or 'assistant', not '" + request.role() + "'.");
            }
            query.add(new TermQuery(new Term(IndexFields.ROLE, request.role())), Occur.FILTER);
        }
        if (request.sessionId() != null) {
            if (!request.sessionId().matches(ChatSession.ID_PATTERN)) {
                throw QuerySyntax.invalid("sessionId '" + request.sessionId() + "' is not a chat id (chat_…).");
            }
            query.add(new TermQuery(new Term(IndexFields.SESSION, request.sessionId())), Occur.FILTER);
        }
        if (request.from() != null || request.to() != null) {
            long from = request.from() == null ? Long.MIN_VALUE : request.from().toEpochMilli();
            long to = request.to() == null ? Long.MAX_VALUE : request.to().toEpochMilli() - 1;
            if (from > to) {
                throw QuerySyntax.invalid("from (" + request.from() + ") must be before to (" + request.to() + ").");
            }
            query.add(LongPoint.newRangeQuery(IndexFields.CREATED, from, to), Occur.FILTER);
        }
    }
}
