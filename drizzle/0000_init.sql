CREATE TABLE "accounts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" uuid,
	"kind" text NOT NULL,
	"balance" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "accounts_kind_check" CHECK ("accounts"."kind" in ('available', 'frozen', 'system')),
	CONSTRAINT "accounts_owner_check" CHECK (("accounts"."kind" = 'system') = ("accounts"."user_id" is null)),
	CONSTRAINT "accounts_not_negative" CHECK ("accounts"."kind" = 'system' or "accounts"."balance" >= 0)
);
--> statement-breakpoint
CREATE TABLE "bets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"creator_id" uuid NOT NULL,
	"creator_choice" text NOT NULL,
	"creator_amount" bigint NOT NULL,
	"acceptor_amount" bigint NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"acceptor_id" uuid,
	"winner_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"accepted_at" timestamp with time zone,
	"settled_at" timestamp with time zone,
	CONSTRAINT "bets_status_check" CHECK ("bets"."status" in ('open', 'accepted', 'cancelled', 'settled', 'void')),
	CONSTRAINT "bets_amounts_positive" CHECK ("bets"."creator_amount" > 0 and "bets"."acceptor_amount" > 0),
	CONSTRAINT "bets_not_self" CHECK ("bets"."acceptor_id" <> "bets"."creator_id"),
	CONSTRAINT "bets_acceptor_matches_status" CHECK (("bets"."status" in ('open', 'cancelled')) = ("bets"."acceptor_id" is null)),
	CONSTRAINT "bets_winner_matches_status" CHECK (("bets"."status" = 'settled') = ("bets"."winner_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"sport" text NOT NULL,
	"outcomes" text[] NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"stream_url" text,
	"score" text,
	"clock" text,
	"info" text,
	"result" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "events_status_check" CHECK ("events"."status" in ('scheduled', 'live', 'finished', 'cancelled')),
	CONSTRAINT "events_outcomes_check" CHECK (cardinality("events"."outcomes") between 2 and 3),
	CONSTRAINT "events_result_check" CHECK (("events"."status" = 'finished') = ("events"."result" is not null)
        and ("events"."result" is null or "events"."result" = any("events"."outcomes")))
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"user_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"response" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"from_account_id" bigint NOT NULL,
	"to_account_id" bigint NOT NULL,
	"amount" bigint NOT NULL,
	"reason" text NOT NULL,
	"bet_id" uuid,
	"event_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_amount_positive" CHECK ("ledger_entries"."amount" > 0),
	CONSTRAINT "ledger_distinct_accounts" CHECK ("ledger_entries"."from_account_id" <> "ledger_entries"."to_account_id"),
	CONSTRAINT "ledger_bet_reasons_have_bet" CHECK ("ledger_entries"."reason" in ('signup', 'credit') or "ledger_entries"."bet_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text DEFAULT 'user' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_role_check" CHECK ("users"."role" in ('user', 'admin'))
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bets" ADD CONSTRAINT "bets_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bets" ADD CONSTRAINT "bets_creator_id_users_id_fk" FOREIGN KEY ("creator_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bets" ADD CONSTRAINT "bets_acceptor_id_users_id_fk" FOREIGN KEY ("acceptor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bets" ADD CONSTRAINT "bets_winner_id_users_id_fk" FOREIGN KEY ("winner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_from_account_id_accounts_id_fk" FOREIGN KEY ("from_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_to_account_id_accounts_id_fk" FOREIGN KEY ("to_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_bet_id_bets_id_fk" FOREIGN KEY ("bet_id") REFERENCES "public"."bets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_user_kind_key" ON "accounts" USING btree ("user_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_one_system_key" ON "accounts" USING btree ("kind") WHERE "accounts"."kind" = 'system';--> statement-breakpoint
CREATE INDEX "bets_event_status_idx" ON "bets" USING btree ("event_id","status");--> statement-breakpoint
CREATE INDEX "bets_creator_idx" ON "bets" USING btree ("creator_id","created_at");--> statement-breakpoint
CREATE INDEX "bets_acceptor_idx" ON "bets" USING btree ("acceptor_id","created_at");--> statement-breakpoint
CREATE INDEX "events_status_starts_idx" ON "events" USING btree ("status","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "idempotency_user_key" ON "idempotency_keys" USING btree ("user_id","key");--> statement-breakpoint
CREATE INDEX "ledger_from_idx" ON "ledger_entries" USING btree ("from_account_id","id");--> statement-breakpoint
CREATE INDEX "ledger_to_idx" ON "ledger_entries" USING btree ("to_account_id","id");--> statement-breakpoint
CREATE INDEX "ledger_bet_idx" ON "ledger_entries" USING btree ("bet_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_key" ON "users" USING btree ("username");