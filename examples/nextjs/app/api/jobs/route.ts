import { ContentGenError, type JobRequest } from "@contentgen/client";
import { contentgen, problem } from "@/lib/contentgen";

/** Creates a job with the server's key; the browser's Idempotency-Key is passed on, so its retries never make two. */
export async function POST(request: Request): Promise<Response> {
  let body: JobRequest;
  try {
    body = (await request.json()) as JobRequest;
  } catch {
    return Response.json({ status: 400, code: "MALFORMED_JSON", detail: "The body must be a JSON object." }, { status: 400 });
  }
  try {
    const job = await contentgen.createJob(body, { idempotencyKey: request.headers.get("Idempotency-Key") ?? undefined });
    return Response.json(job, { status: 201 });
  } catch (e) {
    if (e instanceof ContentGenError) {
      return problem(e);
    }
    throw e;
  }
}
