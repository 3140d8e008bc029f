// Fails the run (never skips it) when there is no Neutron to test against.
export default async function setup(): Promise<void> {
  const base = process.env.NEUTRON_URL;
  if (!base) {
    throw new Error(
      'NEUTRON_URL is not set. Start a Neutron distribution wired to Ollama and pass its base URL, e.g.\n' +
        '  NEUTRON_URL=http://127.0.0.1:8000 npm run e2e',
    );
  }
  let res: Response;
  try {
    res = await fetch(new URL('/api/v1/health', base), { signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    throw new Error(`Neutron is not reachable at ${base}: ${String(e)}`);
  }
  if (!res.ok) throw new Error(`Neutron at ${base} answered ${res.status} to /api/v1/health`);
  const models = (await (await fetch(new URL('/api/v1/chat/models', base))).json()) as {
    models: { name: string }[];
    providers: { available: boolean; message: string | null }[];
  };
  const down = models.providers.filter((p) => !p.available);
  if (down.length > 0 || models.models.length === 0) {
    throw new Error(`Neutron at ${base} has no usable models: ${down.map((p) => p.message).join('; ') || 'empty model list'}`);
  }
}
