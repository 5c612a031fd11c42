import type { NodeTypes } from "@xyflow/react";
import { ImageNode, StageNode } from "./stage-node";

/** Module scope so React Flow never sees a new object (error002). */
export const nodeTypes = { stage: StageNode, image: ImageNode } satisfies NodeTypes;
