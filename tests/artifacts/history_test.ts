import assert from "node:assert/strict";
import { join } from "node:path";
import { writeHistory } from "../../tasks/artifacts/history.ts";

Deno.test("writeHistory() writes history.json and a CSV with a header row", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const epochs = [
      {
        epoch: 1,
        train_loss: 0.5,
        train_acc: 0.8,
        val_loss: null,
        val_top1: null,
        val_top5: null,
        lr: 0.001,
        seconds: 1.5,
        images_per_sec: 1000,
      },
    ];
    await writeHistory(dir, epochs);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(join(dir, "history.json"))), { epochs });
    assert.equal(
      await Deno.readTextFile(join(dir, "history.csv")),
      "epoch,train_loss,train_acc,val_loss,val_top1,val_top5,lr,seconds,images_per_sec\n" +
        "1,0.5,0.8,,,,0.001,1.5,1000\n",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
