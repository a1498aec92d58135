import {
  roomsOf,
  type PushMessage,
  type ResumeCursor,
} from '@/lib/realtime/contract';

/**
 * The last seq applied in each room. A push is new when it is past the
 * cursor in at least one of its rooms; anything else is a duplicate (a
 * replay overlapping the live stream) and is dropped.
 */
export class StreamCursor {
  private readonly last = new Map<string, number>();

  constructor(private readonly userId: string) {}

  /** Records the push and says whether it should be applied. */
  accept(push: PushMessage): boolean {
    const seq = push.payload.seq;
    if (seq === undefined) return true;

    let fresh = false;
    for (const room of roomsOf(push, this.userId)) {
      if (seq > (this.last.get(room) ?? 0)) {
        this.last.set(room, seq);
        fresh = true;
      }
    }

    return fresh;
  }

  seqOf(room: string): number {
    return this.last.get(room) ?? 0;
  }

  /** The resume cursor for the rooms that have a position. */
  cursorFor(rooms: string[]): ResumeCursor {
    const cursor: ResumeCursor = {};

    for (const room of rooms) {
      const seq = this.last.get(room);
      if (seq) cursor[room] = seq;
    }

    return cursor;
  }
}
