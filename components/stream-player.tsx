'use client';

import { useEffect, useRef, useState, type RefObject } from 'react';
import type Hls from 'hls.js';

type Phase = 'loading' | 'ready' | 'failed';

interface PlayerStatus {
  src: string | null;
  phase: Phase;
  /** The browser refused to autoplay and waits for a click. */
  blocked: boolean;
}

const HLS_TYPE = 'application/vnd.apple.mpegurl';
const UNAVAILABLE = 'The stream is unavailable right now';

// A stream that shows no frame within this long is treated as down, so
// the viewer sees a sentence rather than a black box.
const FIRST_FRAME_TIMEOUT_MS = 20_000;

/**
 * The event's live video: muted autoplay, HLS through the browser when it
 * can and through hls.js when it cannot, and a placeholder instead of a
 * broken frame when there is no stream or it fails.
 */
export function StreamPlayer({
  src,
  title,
}: {
  src: string | null;
  title: string;
}) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [muted, setMuted] = useState(true);
  const [status, setStatus] = useState(() => initialStatus(src));

  // A new source starts over, without an effect resetting the state.
  const current = status.src === src ? status : initialStatus(src);
  const update: Update = (change) =>
    setStatus((last) => {
      const base = last.src === src ? last : initialStatus(src);
      // A failure is final for this source, whatever event comes after.
      return base.phase === 'failed' ? base : { ...base, ...change };
    });
  const failed = current.phase === 'failed';

  // Once failed, the stream is torn down until the source changes.
  useStream(videoRef, failed ? null : src, update);
  const waiting = src !== null && current.phase === 'loading';
  useFirstFrameTimeout(waiting && !current.blocked, () =>
    update({ phase: 'failed' }),
  );

  useEffect(() => {
    if (videoRef.current) videoRef.current.muted = muted;
  }, [muted]);

  if (!src) return <Placeholder text="No live stream for this event" />;
  if (failed) return <Placeholder text={UNAVAILABLE} />;

  const toggleMute = () => {
    setMuted(!muted);
    // A click is a user gesture, so this also starts a blocked stream.
    if (muted) play(videoRef.current, update);
  };

  return (
    <div className="player">
      <video
        ref={videoRef}
        aria-label={`Live stream: ${title}`}
        data-testid="stream-video"
        muted={muted}
        autoPlay
        playsInline
        loop
        onDurationChange={(e) => {
          // An empty file "plays" in a loop of zero length: a black box.
          if (e.currentTarget.duration === 0) update({ phase: 'failed' });
        }}
        onLoadedData={() => update({ phase: 'ready' })}
        onPlaying={() => update({ phase: 'ready', blocked: false })}
        onError={() => update({ phase: 'failed' })}
      />
      {current.phase === 'loading' && !current.blocked && (
        <p className="player-status" role="status">
          Connecting to the stream…
        </p>
      )}
      {current.blocked && (
        <button
          type="button"
          className="btn btn-primary player-play"
          onClick={() => play(videoRef.current, update)}
        >
          Play stream
        </button>
      )}
      <button type="button" className="btn player-unmute" onClick={toggleMute}>
        {muted ? 'Unmute' : 'Mute'}
      </button>
    </div>
  );
}

type Update = (change: Partial<PlayerStatus>) => void;

function initialStatus(src: string | null): PlayerStatus {
  return { src, phase: 'loading', blocked: false };
}

/** Calls `onTimeout` when `waiting` stays true for too long. */
function useFirstFrameTimeout(waiting: boolean, onTimeout: () => void) {
  const latest = useRef(onTimeout);

  useEffect(() => {
    latest.current = onTimeout;
  });

  useEffect(() => {
    if (!waiting) return undefined;

    const timer = setTimeout(() => latest.current(), FIRST_FRAME_TIMEOUT_MS);
    return () => clearTimeout(timer);
  }, [waiting]);
}

function Placeholder({ text }: { text: string }) {
  return (
    <div className="player">
      <p className="player-placeholder">{text}</p>
    </div>
  );
}

/**
 * Attaches `src` to the video for as long as it is the source. hls.js is
 * imported only here, so pages without an HLS stream never download it.
 */
function useStream(
  videoRef: RefObject<HTMLVideoElement | null>,
  src: string | null,
  update: Update,
): void {
  const latestUpdate = useRef(update);

  useEffect(() => {
    latestUpdate.current = update;
  });

  useEffect(() => {
    const video = videoRef.current;
    if (!video || !src) return undefined;

    const onChange: Update = (change) => latestUpdate.current(change);

    if (!isHls(src) || video.canPlayType(HLS_TYPE)) {
      return attachNative(video, src, onChange);
    }

    return attachHlsJs(video, src, onChange);
  }, [videoRef, src]);
}

function isHls(src: string): boolean {
  return /\.m3u8($|[?#])/i.test(src);
}

function attachNative(
  video: HTMLVideoElement,
  src: string,
  onChange: Update,
): () => void {
  video.src = src;
  play(video, onChange);

  return () => {
    // Dropping the source and reloading stops the download at once.
    video.removeAttribute('src');
    video.load();
  };
}

function attachHlsJs(
  video: HTMLVideoElement,
  src: string,
  onChange: Update,
): () => void {
  let hls: Hls | null = null;
  let detached = false;

  const destroy = () => {
    hls?.destroy();
    hls = null;
  };

  import('hls.js')
    .then(({ default: HlsJs }) => {
      if (detached) return;
      if (!HlsJs.isSupported()) return onChange({ phase: 'failed' });

      hls = new HlsJs();
      hls.on(HlsJs.Events.MANIFEST_PARSED, () => play(video, onChange));
      hls.on(HlsJs.Events.ERROR, (_name, data) => {
        if (!data.fatal) return;
        destroy();
        onChange({ phase: 'failed' });
      });
      hls.loadSource(src);
      hls.attachMedia(video);
    })
    .catch(() => onChange({ phase: 'failed' }));

  return () => {
    detached = true;
    destroy();
  };
}

function play(video: HTMLVideoElement | null, onChange: Update): void {
  video?.play().catch((error: unknown) => {
    // NotAllowedError: the browser wants a click before playing. Anything
    // else (an AbortError from a source change) is followed by its own
    // `error` or `playing` event, which reports the outcome.
    if (error instanceof DOMException && error.name === 'NotAllowedError') {
      onChange({ blocked: true });
    }
  });
}
