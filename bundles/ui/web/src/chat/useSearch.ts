// Search as you type: GET /api/v1/chat/search, debounced, the answer to an older query never shown over a newer one.

import { useEffect, useState } from 'react';
import { API_BASE, errorFromResponse, toErrorBody, type ErrorBody } from '../lib/api';
import { authorizedFetch } from '../lib/auth';

export interface SearchHit {
  kind: 'message' | 'title' | 'attachment';
  sessionId: string;
  title: string;
  messageId: string | null;
  role: 'user' | 'assistant' | null;
  model: string | null;
  createdAt: string | null;
  snippet: { text: string; highlights: [number, number][] };
  attachment: { id: string; fileName: string } | null;
}

export interface SearchResponse {
  hits: SearchHit[];
  nextCursor: string | null;
  catchingUp: boolean;
  indexedSessions: number;
}

export interface SearchState {
  results: SearchResponse | null;
  loading: boolean;
  error: ErrorBody | null;
}

export const SEARCH_DEBOUNCE_MS = 150;

export async function searchChats(query: string, signal?: AbortSignal, limit = 20): Promise<SearchResponse> {
  const params = new URLSearchParams({ q: query, limit: String(limit) });
  const res = await authorizedFetch(`${API_BASE}/chat/search?${params}`, { signal });
  if (!res.ok) throw await errorFromResponse(res);
  return (await res.json()) as SearchResponse;
}

export function useSearch(query: string, debounceMs = SEARCH_DEBOUNCE_MS): SearchState {
  const [state, setState] = useState<SearchState>({ results: null, loading: false, error: null });

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setState({ results: null, loading: false, error: null });
      return;
    }
    const abort = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      searchChats(q, abort.signal).then(
        (results) => setState({ results, loading: false, error: null }),
        (e: unknown) => {
          if (!abort.signal.aborted) setState({ results: null, loading: false, error: toErrorBody(e) });
        },
      );
    }, debounceMs);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [query, debounceMs]);

  return state;
}
