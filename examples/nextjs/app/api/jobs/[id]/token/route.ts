import { ContentGenError } from "@contentgen/client";
import { contentgen, problem } from "@/lib/contentgen";

/** A stream token for one job, so the browser can stream straight from contentgen (no proxy in between). */
export async function POST(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    return Response.json(await contentgen.streamToken((await params).id), { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    if (e instanceof ContentGenError) {
      return problem(e);
    }
    throw e;
  }
}
