-- Check, unique and foreign-key constraints reject bad values (email format, enumerations,
-- ranges, cross-user references) and accept good ones. Data-driven: one statement per case,
-- with the SQLSTATE and constraint it must raise ('none' when it must succeed). Unique
-- violations on partitioned tables name the partition's index, so those match by prefix.
BEGIN;
SET search_path = public, tap;
\ir ../fixtures/fixtures.sql

SELECT fx.seed_reference();
SELECT fx.seed_user(fx.user_a());
SELECT fx.seed_user(fx.user_b());

CREATE TEMP TABLE cases (ord serial, label text, stmt text, expected text);

-- Shorthands used in the statements below.
CREATE FUNCTION pg_temp.a() RETURNS text LANGUAGE sql AS $$ SELECT quote_literal(fx.user_a()) $$;

INSERT INTO cases (label, stmt, expected) VALUES
-- users: the design's email format, the Argon2id hash, enumerations, ranges
('users: plain email accepted', $$INSERT INTO users (email) VALUES ('first.last+tag@sub.example.co')$$, 'none'),
('users: email without @', $$INSERT INTO users (email) VALUES ('not-an-email')$$, '23514 users_email_check'),
('users: email without top-level domain', $$INSERT INTO users (email) VALUES ('a@localhost')$$, '23514 users_email_check'),
('users: email with a space', $$INSERT INTO users (email) VALUES ('a b@example.com')$$, '23514 users_email_check'),
('users: email without local part', $$INSERT INTO users (email) VALUES ('@example.com')$$, '23514 users_email_check'),
('users: email differing only by case', $$INSERT INTO users (email) SELECT upper(email) FROM users WHERE id = fx.user_a()$$, '23505 idx_users_email_lower'),
('users: bcrypt hash refused', $$INSERT INTO users (email, password_hash) VALUES ('b1@example.com', '$2b$12$abcdefghijklmnopqrstuuQ5x1zQ0y8nOqUe2Hq8Q1H8d5vO7v3S.')$$, '23514 users_password_hash_check'),
('users: argon2i (not id) refused', $$INSERT INTO users (email, password_hash) VALUES ('b2@example.com', '$argon2i$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA')$$, '23514 users_password_hash_check'),
('users: argon2id hash accepted', $$INSERT INTO users (email, password_hash) VALUES ('b3@example.com', '$argon2id$v=19$m=65536,t=2,p=1$QUJDREVGR0hJSktMTU5PUA$0j9tU1wqLFQ2TeRt5ZI0k4zk3nxh4mq8LMqG8Uq9W9E')$$, 'none'),
('users: unknown subscription tier', $$INSERT INTO users (email, subscription_tier) VALUES ('c1@example.com', 'platinum')$$, '23514 users_subscription_tier_check'),
('users: unknown subscription status', $$INSERT INTO users (email, subscription_status) VALUES ('c2@example.com', 'paused')$$, '23514 users_subscription_status_check'),
('users: retention of 0 days', $$INSERT INTO users (email, data_retention_days) VALUES ('c3@example.com', 0)$$, '23514 users_data_retention_days_check'),
('users: negative login count', $$INSERT INTO users (email, login_count) VALUES ('c4@example.com', -1)$$, '23514 users_login_count_check'),
-- subscriptions
('subscriptions: unknown tier', format($$INSERT INTO subscriptions (user_id, tier, status, started_at) VALUES (%s, 'gold', 'active', now())$$, pg_temp.a()), '23514 subscriptions_tier_check'),
('subscriptions: unknown status', format($$INSERT INTO subscriptions (user_id, tier, status, started_at) VALUES (%s, 'pro', 'paused', now())$$, pg_temp.a()), '23514 subscriptions_status_check'),
('subscriptions: weekly billing', format($$INSERT INTO subscriptions (user_id, tier, status, started_at, billing_cycle) VALUES (%s, 'pro', 'active', now(), 'weekly')$$, pg_temp.a()), '23514 subscriptions_billing_cycle_check'),
('subscriptions: negative price', format($$INSERT INTO subscriptions (user_id, tier, status, started_at, price_usd) VALUES (%s, 'pro', 'active', now(), -1)$$, pg_temp.a()), '23514 subscriptions_price_usd_check'),
('subscriptions: lower-case currency', format($$INSERT INTO subscriptions (user_id, tier, status, started_at, currency) VALUES (%s, 'pro', 'active', now(), 'usd')$$, pg_temp.a()), '23514 subscriptions_currency_check'),
('subscriptions: expires before it starts', format($$INSERT INTO subscriptions (user_id, tier, status, started_at, expires_at) VALUES (%s, 'pro', 'active', now(), now() - interval '1 day')$$, pg_temp.a()), '23514 subscriptions_dates_check'),
-- api_keys
('api_keys: hash is not SHA-256 hex', format($$INSERT INTO api_keys (user_id, key_hash, key_prefix, name) VALUES (%s, 'plaintext-key', 'ld_abcd1', 'k')$$, pg_temp.a()), '23514 api_keys_key_hash_check'),
('api_keys: unknown scope', format($$INSERT INTO api_keys (user_id, key_hash, key_prefix, name, scopes) VALUES (%s, repeat('a', 64), 'ld_abcd1', 'k', ARRAY['read', 'root'])$$, pg_temp.a()), '23514 api_keys_scopes_check'),
('api_keys: no scope at all', format($$INSERT INTO api_keys (user_id, key_hash, key_prefix, name, scopes) VALUES (%s, repeat('a', 64), 'ld_abcd1', 'k', '{}')$$, pg_temp.a()), '23514 api_keys_scopes_check'),
('api_keys: zero hourly limit', format($$INSERT INTO api_keys (user_id, key_hash, key_prefix, name, rate_limit_per_hour) VALUES (%s, repeat('a', 64), 'ld_abcd1', 'k', 0)$$, pg_temp.a()), '23514 api_keys_rate_limits_check'),
('api_keys: prefix too short', format($$INSERT INTO api_keys (user_id, key_hash, key_prefix, name) VALUES (%s, repeat('a', 64), 'ld', 'k')$$, pg_temp.a()), '23514 api_keys_key_prefix_check'),
('api_keys: same hash twice', format($$INSERT INTO api_keys (user_id, key_hash, key_prefix, name) SELECT %s, key_hash, 'ld_abcd1', 'k' FROM api_keys LIMIT 1$$, pg_temp.a()), '23505 api_keys_key_hash_key'),
-- audit_logs, login_attempts
('audit_logs: unknown status', $$INSERT INTO audit_logs (action, resource_type, status) VALUES ('x', 'y', 'ok')$$, '23514 audit_logs_status_check'),
('login_attempts: success with a failure reason', $$INSERT INTO login_attempts (email, succeeded, failure_reason) VALUES ('a@example.com', true, 'bad_password')$$, '23514 login_attempts_reason_check'),
('login_attempts: unknown reason', $$INSERT INTO login_attempts (email, succeeded, failure_reason) VALUES ('a@example.com', false, 'cosmic_ray')$$, '23514 login_attempts_failure_reason_check'),
-- alert_rules
('alert_rules: unknown alert type', format($$INSERT INTO alert_rules (user_id, name, alert_type, target_type, target_id, condition_operator, threshold_value) VALUES (%s, 'r', 'moon', 'token', 'ETH', '>', 1)$$, pg_temp.a()), '23514 alert_rules_alert_type_check'),
('alert_rules: unknown target type', format($$INSERT INTO alert_rules (user_id, name, alert_type, target_type, target_id, condition_operator, threshold_value) VALUES (%s, 'r', 'price_change', 'planet', 'ETH', '>', 1)$$, pg_temp.a()), '23514 alert_rules_target_type_check'),
('alert_rules: unknown operator', format($$INSERT INTO alert_rules (user_id, name, alert_type, target_type, target_id, condition_operator, threshold_value) VALUES (%s, 'r', 'price_change', 'token', 'ETH', '<>', 1)$$, pg_temp.a()), '23514 alert_rules_condition_operator_check'),
('alert_rules: unknown threshold type', format($$INSERT INTO alert_rules (user_id, name, alert_type, target_type, target_id, condition_operator, threshold_value, threshold_type) VALUES (%s, 'r', 'price_change', 'token', 'ETH', '>', 1, 'relative')$$, pg_temp.a()), '23514 alert_rules_threshold_type_check'),
('alert_rules: unknown channel', format($$INSERT INTO alert_rules (user_id, name, alert_type, target_type, target_id, condition_operator, threshold_value, notification_channels) VALUES (%s, 'r', 'price_change', 'token', 'ETH', '>', 1, ARRAY['email', 'pigeon'])$$, pg_temp.a()), '23514 alert_rules_notification_channels_check'),
('alert_rules: zero timeframe', format($$INSERT INTO alert_rules (user_id, name, alert_type, target_type, target_id, condition_operator, threshold_value, timeframe_minutes) VALUES (%s, 'r', 'price_change', 'token', 'ETH', '>', 1, 0)$$, pg_temp.a()), '23514 alert_rules_timeframe_minutes_check'),
('alert_rules: zero triggers per day', format($$INSERT INTO alert_rules (user_id, name, alert_type, target_type, target_id, condition_operator, threshold_value, max_triggers_per_day) VALUES (%s, 'r', 'price_change', 'token', 'ETH', '>', 1, 0)$$, pg_temp.a()), '23514 alert_rules_max_triggers_per_day_check'),
('alert_rules: plain-http webhook', format($$INSERT INTO alert_rules (user_id, name, alert_type, target_type, target_id, condition_operator, threshold_value, webhook_url) VALUES (%s, 'r', 'price_change', 'token', 'ETH', '>', 1, 'http://example.com/hook')$$, pg_temp.a()), '23514 alert_rules_webhook_url_check'),
('alert_rules: every enumeration value accepted', format($$INSERT INTO alert_rules (user_id, name, alert_type, target_type, target_id, condition_operator, threshold_value, threshold_type, notification_channels, webhook_url) SELECT %s, 'r', t, g, 'x', o, 1, 'percentage', ARRAY['email', 'webhook', 'telegram', 'discord', 'sms'], 'https://example.com/hook' FROM unnest(ARRAY['price_change', 'tvl_change', 'volume_spike', 'gas_price', 'portfolio_value', 'security_risk', 'whale_movement', 'new_listing']) t, unnest(ARRAY['protocol', 'token', 'wallet', 'chain']) g, unnest(ARRAY['>', '<', '>=', '<=', '=', '!=']) o$$, pg_temp.a()), 'none'),
-- alert_history, notification_logs
('alert_history: unknown severity', format($$INSERT INTO alert_history (alert_rule_id, user_id, triggered_value, threshold_value, condition_met, title, message, notification_channels, severity) VALUES (%L, %s, 1, 1, 'c', 't', 'm', ARRAY['email'], 'fatal')$$, fx.rid('alert_rules', fx.user_a()), pg_temp.a()), '23514 alert_history_severity_check'),
('alert_history: points at another user''s rule', format($$INSERT INTO alert_history (alert_rule_id, user_id, triggered_value, threshold_value, condition_met, title, message, notification_channels) VALUES (%L, %s, 1, 1, 'c', 't', 'm', ARRAY['email'])$$, fx.rid('alert_rules', fx.user_b()), pg_temp.a()), '23503 alert_history_user_id_alert_rule_id_fkey'),
('notification_logs: unknown status', format($$INSERT INTO notification_logs (user_id, channel, recipient, body, status) VALUES (%s, 'email', 'r', 'b', 'lost')$$, pg_temp.a()), '23514 notification_logs_status_check'),
('notification_logs: unknown channel', format($$INSERT INTO notification_logs (user_id, channel, recipient, body, status) VALUES (%s, 'fax', 'r', 'b', 'sent')$$, pg_temp.a()), '23514 notification_logs_channel_check'),
('notification_logs: negative retries', format($$INSERT INTO notification_logs (user_id, channel, recipient, body, status, retry_count) VALUES (%s, 'email', 'r', 'b', 'sent', -1)$$, pg_temp.a()), '23514 notification_logs_retry_count_check'),
('notification_logs: half an alert key', format($$INSERT INTO notification_logs (user_id, channel, recipient, body, status, alert_history_id) VALUES (%s, 'email', 'r', 'b', 'sent', gen_random_uuid())$$, pg_temp.a()), '23514 notification_logs_alert_key_check'),
-- tax
('tax_transactions: unknown type', format($$INSERT INTO tax_transactions (user_id, transaction_hash, block_number, chain_id, timestamp, transaction_type) VALUES (%s, '0x1', 1, 1, now(), 'theft')$$, pg_temp.a()), '23514 tax_transactions_transaction_type_check'),
('tax_transactions: unknown cost-basis method', format($$INSERT INTO tax_transactions (user_id, transaction_hash, block_number, chain_id, timestamp, transaction_type, cost_basis_method) VALUES (%s, '0x1', 1, 1, now(), 'sell', 'AVG')$$, pg_temp.a()), '23514 tax_transactions_cost_basis_method_check'),
('tax_transactions: negative amount', format($$INSERT INTO tax_transactions (user_id, transaction_hash, block_number, chain_id, timestamp, transaction_type, asset_in_amount) VALUES (%s, '0x1', 1, 1, now(), 'buy', -1)$$, pg_temp.a()), '23514 tax_transactions_asset_in_amount_check'),
('tax_transactions: unknown tax category', format($$INSERT INTO tax_transactions (user_id, transaction_hash, block_number, chain_id, timestamp, transaction_type, tax_category) VALUES (%s, '0x1', 1, 1, now(), 'buy', 'other')$$, pg_temp.a()), '23514 tax_transactions_tax_category_check'),
('tax_transactions: Specific method with a wallet accepted', format($$INSERT INTO tax_transactions (user_id, transaction_hash, block_number, chain_id, timestamp, transaction_type, cost_basis_method, wallet, asset_out_symbol, asset_out_amount) VALUES (%s, '0x2', 1, 1, now(), 'sell', 'Specific', '0xcold', 'ETH', 0.000000000000000001)$$, pg_temp.a()), 'none'),
('tax_reports: unknown report type', format($$INSERT INTO tax_reports (user_id, report_type, tax_year, country_code, start_date, end_date) VALUES (%s, 'monthly', 2025, 'US', '2025-01-01', '2025-01-31')$$, pg_temp.a()), '23514 tax_reports_report_type_check'),
('tax_reports: unknown format', format($$INSERT INTO tax_reports (user_id, report_type, tax_year, country_code, start_date, end_date, report_format) VALUES (%s, 'annual', 2025, 'US', '2025-01-01', '2025-12-31', 'XLS')$$, pg_temp.a()), '23514 tax_reports_report_format_check'),
('tax_reports: unknown status', format($$INSERT INTO tax_reports (user_id, report_type, tax_year, country_code, start_date, end_date, status) VALUES (%s, 'annual', 2025, 'US', '2025-01-01', '2025-12-31', 'done')$$, pg_temp.a()), '23514 tax_reports_status_check'),
('tax_reports: ends before it starts', format($$INSERT INTO tax_reports (user_id, report_type, tax_year, country_code, start_date, end_date) VALUES (%s, 'custom', 2025, 'US', '2025-06-01', '2025-01-01')$$, pg_temp.a()), '23514 tax_reports_dates_check'),
('tax_reports: year before Bitcoin', format($$INSERT INTO tax_reports (user_id, report_type, tax_year, country_code, start_date, end_date) VALUES (%s, 'annual', 1999, 'US', '1999-01-01', '1999-12-31')$$, pg_temp.a()), '23514 tax_reports_tax_year_check'),
('tax_reports: three-letter country', format($$INSERT INTO tax_reports (user_id, report_type, tax_year, country_code, start_date, end_date) VALUES (%s, 'annual', 2025, 'us', '2025-01-01', '2025-12-31')$$, pg_temp.a()), '23514 tax_reports_country_code_check'),
('cost_basis_lots: more remaining than acquired', format($$INSERT INTO cost_basis_lots (user_id, asset_symbol, chain_id, acquired_date, acquired_amount, acquired_price_usd, cost_basis_usd, remaining_amount) VALUES (%s, 'ETH', 1, now(), 1, 1, 1, 2)$$, pg_temp.a()), '23514 cost_basis_lots_remaining_check'),
('cost_basis_lots: zero acquired', format($$INSERT INTO cost_basis_lots (user_id, asset_symbol, chain_id, acquired_date, acquired_amount, acquired_price_usd, cost_basis_usd, remaining_amount) VALUES (%s, 'ETH', 1, now(), 0, 1, 1, 0)$$, pg_temp.a()), '23514 cost_basis_lots_acquired_amount_check'),
('cost_basis_lots: another user''s transaction', format($$INSERT INTO cost_basis_lots (user_id, asset_symbol, chain_id, acquired_transaction_id, acquired_date, acquired_amount, acquired_price_usd, cost_basis_usd, remaining_amount) VALUES (%s, 'ETH', 1, %L, now(), 1, 1, 1, 1)$$, pg_temp.a(), fx.rid('tax_transactions', fx.user_b())), '23503 cost_basis_lots_acquired_transaction_fkey'),
('lot_selections: zero amount', format($$INSERT INTO lot_selections (user_id, disposal_transaction_id, lot_id, amount) VALUES (%s, %L, %L, 0)$$, pg_temp.a(), fx.rid('tax_transactions', fx.user_a(), 'alt'), fx.rid('cost_basis_lots', fx.user_a())), '23514 lot_selections_amount_check'),
('lot_selections: another user''s lot', format($$INSERT INTO lot_selections (user_id, disposal_transaction_id, lot_id, amount) VALUES (%s, %L, %L, 1)$$, pg_temp.a(), fx.rid('tax_transactions', fx.user_a(), 'alt'), fx.rid('cost_basis_lots', fx.user_b())), '23503 lot_selections_lot_fkey'),
('lot_selections: same lot twice for one disposal', format($$INSERT INTO lot_selections (user_id, disposal_transaction_id, lot_id, amount) VALUES (%s, %L, %L, 1)$$, pg_temp.a(), fx.rid('tax_transactions', fx.user_a()), fx.rid('cost_basis_lots', fx.user_a())), '23505 idx_lot_selections_pair'),
-- portfolio
('portfolio_snapshots: two snapshots at one instant', format($$INSERT INTO portfolio_snapshots (user_id, total_value_usd, total_assets, total_chains, total_protocols, snapshot_date, timestamp) VALUES (%s, 1, 1, 1, 1, current_date, fx.ts())$$, pg_temp.a()), '23505 portfolio_snapshots_%'),
('portfolio_snapshots: negative asset count', format($$INSERT INTO portfolio_snapshots (user_id, total_value_usd, total_assets, total_chains, total_protocols, snapshot_date) VALUES (%s, 1, -1, 1, 1, current_date)$$, pg_temp.a()), '23514 portfolio_snapshots_total_assets_check'),
('portfolio_assets: unknown asset type', format($$INSERT INTO portfolio_assets (user_id, asset_type, chain_id, balance, balance_usd) VALUES (%s, 'stock', 1, 1, 1)$$, pg_temp.a()), '23514 portfolio_assets_asset_type_check'),
-- EPIC-4
('gas_predictions: confidence above 1', $$INSERT INTO gas_predictions (chain_id, predicted_low, predicted_medium, predicted_high, predicted_instant, prediction_for, confidence_score) VALUES (1, 1, 2, 3, 4, now(), 1.5)$$, '23514 gas_predictions_confidence_score_check'),
('gas_predictions: confidence below 0', $$INSERT INTO gas_predictions (chain_id, predicted_low, predicted_medium, predicted_high, predicted_instant, prediction_for, confidence_score) VALUES (1, 1, 2, 3, 4, now(), -0.5)$$, '23514 gas_predictions_confidence_score_check'),
('gas_predictions: low above medium', $$INSERT INTO gas_predictions (chain_id, predicted_low, predicted_medium, predicted_high, predicted_instant, prediction_for) VALUES (1, 5, 2, 3, 4, now())$$, '23514 gas_predictions_order_check'),
('gas_predictions: utilization above 100%', $$INSERT INTO gas_predictions (chain_id, predicted_low, predicted_medium, predicted_high, predicted_instant, prediction_for, network_utilization) VALUES (1, 1, 2, 3, 4, now(), 120)$$, '23514 gas_predictions_network_utilization_check'),
('gas_predictions: valid prediction accepted', $$INSERT INTO gas_predictions (chain_id, predicted_low, predicted_medium, predicted_high, predicted_instant, prediction_for, confidence_score) VALUES (1, 1, 2, 3, 4, now() + interval '1 hour', 0.95)$$, 'none'),
('trade_routes: slippage above 100%', $$INSERT INTO trade_routes (token_in_address, token_out_address, amount_in, chain_id, route_path, dex_count, hop_count, amount_out, slippage_tolerance) VALUES ('0xa', '0xb', 1, 1, '[]', 1, 1, 1, 101)$$, '23514 trade_routes_slippage_tolerance_check'),
('trade_routes: a token swapped for itself', $$INSERT INTO trade_routes (token_in_address, token_out_address, amount_in, chain_id, route_path, dex_count, hop_count, amount_out) VALUES ('0xA', '0xa', 1, 1, '[]', 1, 1, 1)$$, '23514 trade_routes_tokens_check'),
('trade_routes: zero hops', $$INSERT INTO trade_routes (token_in_address, token_out_address, amount_in, chain_id, route_path, dex_count, hop_count, amount_out) VALUES ('0xa', '0xb', 1, 1, '[]', 1, 0, 1)$$, '23514 trade_routes_hop_count_check'),
('yield_pools: unknown impermanent-loss risk', $$INSERT INTO yield_pools (pool_id, protocol_id, protocol_name, chain_id, symbol, pool_type, il_risk) VALUES ('p1', 'aave', 'Aave', 1, 'USDC', 'lending', 'extreme')$$, '23514 yield_pools_il_risk_check'),
('yield_pools: unknown pool type', $$INSERT INTO yield_pools (pool_id, protocol_id, protocol_name, chain_id, symbol, pool_type) VALUES ('p1', 'aave', 'Aave', 1, 'USDC', 'casino')$$, '23514 yield_pools_pool_type_check'),
('bridges: unknown bridge type', $$INSERT INTO bridges (bridge_key, name, bridge_type, supported_chains) VALUES ('b1', 'B', 'teleport', ARRAY[1, 2])$$, '23514 bridges_bridge_type_check'),
('bridges: a single chain', $$INSERT INTO bridges (bridge_key, name, bridge_type, supported_chains) VALUES ('b1', 'B', 'native', ARRAY[1])$$, '23514 bridges_supported_chains_check'),
('bridge_transactions: same source and destination', format($$INSERT INTO bridge_transactions (user_id, source_chain_id, destination_chain_id, token_symbol, sender_address, recipient_address, amount) VALUES (%s, 1, 1, 'USDC', 's', 'r', 1)$$, pg_temp.a()), '23514 bridge_transactions_chains_check'),
('bridge_transactions: unknown status', format($$INSERT INTO bridge_transactions (user_id, source_chain_id, destination_chain_id, token_symbol, sender_address, recipient_address, amount, status) VALUES (%s, 1, 10, 'USDC', 's', 'r', 1, 'lost')$$, pg_temp.a()), '23514 bridge_transactions_status_check'),
('traders: win rate above 1', $$INSERT INTO traders (wallet_address, chain_id, win_rate) VALUES ('0xt2', 1, 1.2)$$, '23514 traders_win_rate_check'),
('traders: same wallet twice on a chain', $$INSERT INTO traders (wallet_address, chain_id) VALUES ('0xtrader', 1)$$, '23505 traders_wallet_chain_key'),
('trader_performance: unknown period', format($$INSERT INTO trader_performance (trader_id, period, pnl_usd) VALUES (%L, '2d', 1)$$, fx.trader_id()), '23514 trader_performance_period_check'),
('copy_trades: zero copy ratio', format($$INSERT INTO copy_trades (user_id, trader_id, source_tx_hash, chain_id, token_in_address, token_out_address, copy_ratio) VALUES (%s, %L, '0x', 1, 'a', 'b', 0)$$, pg_temp.a(), fx.trader_id()), '23514 copy_trades_copy_ratio_check'),
('copy_trades: copy ratio above 1', format($$INSERT INTO copy_trades (user_id, trader_id, source_tx_hash, chain_id, token_in_address, token_out_address, copy_ratio) VALUES (%s, %L, '0x', 1, 'a', 'b', 2)$$, pg_temp.a(), fx.trader_id()), '23514 copy_trades_copy_ratio_check'),
('copy_trades: unknown trader', format($$INSERT INTO copy_trades (user_id, trader_id, source_tx_hash, chain_id, token_in_address, token_out_address, copy_ratio) VALUES (%s, gen_random_uuid(), '0x', 1, 'a', 'b', 0.5)$$, pg_temp.a()), '23503 copy_trades_trader_id_fkey'),
-- EPIC-5
('security_scans: unknown status', $$INSERT INTO security_scans (contract_address, chain_id, scan_type, scanner, status) VALUES ('0xc', 1, 'static', 's', 'paused')$$, '23514 security_scans_status_check'),
('security_scans: negative finding count', $$INSERT INTO security_scans (contract_address, chain_id, scan_type, scanner, high_count) VALUES ('0xc', 1, 'static', 's', -1)$$, '23514 security_scans_high_count_check'),
('risk_scores: score above 100', $$INSERT INTO risk_scores (target_type, target_id, overall_score, risk_level, methodology_version) VALUES ('protocol', 'aave', 150, 'low', 'v1')$$, '23514 risk_scores_overall_score_check'),
('risk_scores: unknown target type', $$INSERT INTO risk_scores (target_type, target_id, overall_score, risk_level, methodology_version) VALUES ('planet', 'mars', 10, 'low', 'v1')$$, '23514 risk_scores_target_type_check'),
('malicious_contracts: unknown category', $$INSERT INTO malicious_contracts (contract_address, chain_id, category, severity, source) VALUES ('0xbad', 1, 'meh', 'high', 'feed')$$, '23514 malicious_contracts_category_check'),
('malicious_contracts: listed twice', $$INSERT INTO malicious_contracts (contract_address, chain_id, category, severity, source) VALUES ('0xbad', 1, 'drainer', 'high', 'feed'), ('0xbad', 1, 'phishing', 'high', 'feed')$$, '23505 malicious_contracts_address_key'),
('contract_risk_scores: concentration above 1', $$INSERT INTO contract_risk_scores (contract_address, chain_id, risk_score, risk_level, holder_concentration) VALUES ('0xc', 1, 10, 'low', 2)$$, '23514 contract_risk_scores_holder_concentration_check'),
('contract_risk_scores: unknown risk level', $$INSERT INTO contract_risk_scores (contract_address, chain_id, risk_score, risk_level) VALUES ('0xc', 1, 10, 'extreme')$$, '23514 contract_risk_scores_risk_level_check'),
('contract_audits: neither contract nor protocol', $$INSERT INTO contract_audits (auditor, audit_date, status) VALUES ('Trail', current_date, 'passed')$$, '23514 contract_audits_target_check'),
('contract_audits: unknown status', $$INSERT INTO contract_audits (protocol_id, auditor, audit_date, status) VALUES ('aave', 'Trail', current_date, 'ok')$$, '23514 contract_audits_status_check'),
('wallet_approvals: unknown token standard', format($$INSERT INTO wallet_approvals (user_id, wallet_address, chain_id, token_address, spender_address, token_standard) VALUES (%s, 'w', 1, 't', 's', 'erc777')$$, pg_temp.a()), '23514 wallet_approvals_token_standard_check'),
('wallet_approvals: revoked without a date', format($$INSERT INTO wallet_approvals (user_id, wallet_address, chain_id, token_address, spender_address, is_revoked) VALUES (%s, 'w', 1, 't', 's', true)$$, pg_temp.a()), '23514 wallet_approvals_revoked_check'),
('wallet_approvals: allowance above uint256', format($$INSERT INTO wallet_approvals (user_id, wallet_address, chain_id, token_address, spender_address, allowance) VALUES (%s, 'w', 1, 't', 's', 1e78)$$, pg_temp.a()), '22003'),
('wallet_security_scores: score above 100', format($$INSERT INTO wallet_security_scores (user_id, wallet_address, security_score, risk_level) VALUES (%s, 'w', 101, 'low')$$, pg_temp.a()), '23514 wallet_security_scores_security_score_check'),
('protocol_health: score above 100', $$INSERT INTO protocol_health (protocol_id, protocol_name, health_score) VALUES ('aave', 'Aave', 101)$$, '23514 protocol_health_health_score_check'),
('protocol_health: unknown risk level', $$INSERT INTO protocol_health (protocol_id, protocol_name, risk_level) VALUES ('aave', 'Aave', 'extreme')$$, '23514 protocol_health_risk_level_check'),
('protocol_health: unknown status', $$INSERT INTO protocol_health (protocol_id, protocol_name, status) VALUES ('aave', 'Aave', 'fine')$$, '23514 protocol_health_status_check'),
('protocol_health: every status accepted', $$INSERT INTO protocol_health (protocol_id, protocol_name, status, risk_level, health_score) SELECT 'aave', 'Aave', s, r, 100 FROM unnest(ARRAY['healthy', 'degraded', 'warning', 'critical', 'unknown']) s, unnest(ARRAY['low', 'medium', 'high', 'critical']) r$$, 'none'),
('protocol_risk_indicators: unknown indicator', $$INSERT INTO protocol_risk_indicators (protocol_id, indicator_type, severity, description) VALUES ('aave', 'vibes', 'low', 'd')$$, '23514 protocol_risk_indicators_indicator_type_check'),
('security_alerts: unknown alert type', format($$INSERT INTO security_alerts (user_id, alert_type, title, message) VALUES (%s, 'ufo', 't', 'm')$$, pg_temp.a()), '23514 security_alerts_alert_type_check'),
-- EPIC-6
('dashboards: short share token', format($$INSERT INTO dashboards (user_id, name, layout, widgets, share_token) VALUES (%s, 'd', '{}', '[]', 'abc')$$, pg_temp.a()), '23514 dashboards_share_token_check'),
('dashboards: layout that is not an object', format($$INSERT INTO dashboards (user_id, name, layout, widgets) VALUES (%s, 'd', '[]', '[]')$$, pg_temp.a()), '23514 dashboards_layout_check'),
('dashboards: two default dashboards', format($$INSERT INTO dashboards (user_id, name, layout, widgets, is_default) VALUES (%s, 'd1', '{}', '[]', true), (%s, 'd2', '{}', '[]', true)$$, pg_temp.a(), pg_temp.a()), '23505 idx_dashboards_default'),
('predictions: unknown type', $$INSERT INTO predictions (prediction_type, target_id, predicted_value, prediction_horizon_hours, model_name, model_version, prediction_for) VALUES ('weather', 'x', 1, 1, 'm', 'v1', now())$$, '23514 predictions_prediction_type_check'),
('predictions: confidence below 0', $$INSERT INTO predictions (prediction_type, target_id, predicted_value, prediction_horizon_hours, model_name, model_version, prediction_for, confidence_score) VALUES ('token_price', 'x', 1, 1, 'm', 'v1', now(), -0.1)$$, '23514 predictions_confidence_score_check'),
('prices: negative price', $$INSERT INTO prices (asset_symbol, price_usd, timestamp) VALUES ('ETH', -1, now())$$, '23514 prices_price_usd_check'),
('prices: one price per asset and instant', $$INSERT INTO prices (asset_symbol, price_usd, timestamp) VALUES ('ETH', 1, fx.ts()), ('ETH', 2, fx.ts())$$, '23505 prices_%'),
('prices: exact 18-decimal price accepted', $$INSERT INTO prices (asset_symbol, chain_id, price_usd, source, timestamp) VALUES ('PEPE', 1, 0.000001234567890123, 'fixture', now())$$, 'none'),
-- sync
('sync_mutations: mutation id not increasing', format($$INSERT INTO sync_mutations (client_id, mutation_id, user_id, table_name, row_id, operation, result) VALUES (%L, 1, %s, 'alert_rules', gen_random_uuid(), 'update', 'applied')$$, fx.rid('sync_clients', fx.user_a()), pg_temp.a()), '23505 sync_mutations_pkey'),
('sync_mutations: refusal without a reason', format($$INSERT INTO sync_mutations (client_id, mutation_id, user_id, table_name, row_id, operation, result) VALUES (%L, 2, %s, 'alert_rules', gen_random_uuid(), 'update', 'rejected')$$, fx.rid('sync_clients', fx.user_a()), pg_temp.a()), '23514 sync_mutations_reason_check'),
('sync_mutations: unknown result', format($$INSERT INTO sync_mutations (client_id, mutation_id, user_id, table_name, row_id, operation, result, reason) VALUES (%L, 2, %s, 'alert_rules', gen_random_uuid(), 'update', 'maybe', 'r')$$, fx.rid('sync_clients', fx.user_a()), pg_temp.a()), '23514 sync_mutations_result_check'),
('sync_conflicts: resolution without a date', format($$INSERT INTO sync_conflicts (user_id, table_name, row_id, column_name, resolution) VALUES (%s, 'alert_rules', gen_random_uuid(), 'name', 'kept_local')$$, pg_temp.a()), '23514 sync_conflicts_resolved_check'),
('sync_conflicts: unknown resolution', format($$INSERT INTO sync_conflicts (user_id, table_name, row_id, column_name, resolution, resolved_at) VALUES (%s, 'alert_rules', gen_random_uuid(), 'name', 'server_wins', now())$$, pg_temp.a()), '23514 sync_conflicts_resolution_check'),
('sync_changes: unknown operation', $$INSERT INTO sync_changes (user_id, table_name, row_id, operation, row_version, row_data) VALUES (gen_random_uuid(), 't', gen_random_uuid(), 'upsert', 1, '{}')$$, '23514 sync_changes_operation_check');

SELECT plan((SELECT count(*)::int FROM cases));
SELECT alike(fx.violation(stmt), expected, label) FROM cases ORDER BY ord;

SELECT * FROM finish();
ROLLBACK;
