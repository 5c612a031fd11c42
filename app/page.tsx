import { Workbench } from "@/components/workbench/workbench";

/** The home page is the tool: inputs on the left, the analysed build on the right. */
export default function HomePage() {
  return <Workbench />;
}
