// A program that leaks in every shape of `leak_shapes.ts` at once, for `heapler run`: every
// 100 ms, five objects of each shape, for the seconds given (default 4), then it exits.
//
//   heapler run --interval 1s -- node leak_shapes_server.ts [seconds]
import process from "node:process";
import { SHAPES } from "./leak_shapes.ts";

const seconds = Number(process.argv[2] ?? 4);
const traffic = setInterval(() => {
  for (const shape of SHAPES) shape.leak(5);
}, 100);
setTimeout(() => {
  clearInterval(traffic);
  process.exit(0);
}, seconds * 1000);
