ALTER TABLE "bets" ADD COLUMN "keep_when_live" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "suspended" boolean DEFAULT false NOT NULL;