import { proxyEvents } from "@contentgen/client/proxy";
import { proxyOptions } from "@/lib/contentgen";

// A stream is never cached or prerendered.
export const dynamic = "force-dynamic";

/** The job's event stream, from contentgen through this app: the browser needs no key and no CORS. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return proxyEvents(request, (await params).id, proxyOptions);
}
