import { publicUrl } from "@/lib/contentgen";
import { Generator } from "./generator";

// Read at request time, so one build serves any contentgen.
export const dynamic = "force-dynamic";

export default function Home() {
  return (
    <main>
      <h1>Topic in, article out</h1>
      <Generator contentgenUrl={publicUrl} />
    </main>
  );
}
