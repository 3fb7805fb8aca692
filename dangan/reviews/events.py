"""Audit action names of the reviews app."""

REVIEW_APPLIED = "political_review.applied"
REVIEW_RECORD_READ = "political_review.record_read"  # the dossier's content was read to build the extract (R43)
REVIEW_DRAFTED = "political_review.drafted"
REVIEW_APPROVED = "political_review.approved"
REVIEW_VIEWED = "political_review.viewed"
REVIEW_PRINTED = "political_review.printed"
REVIEW_RELEASED = "political_review.released"
PARTY_TRANSFER_APPLIED = "party_transfer.applied"
PARTY_TRANSFER_COMPLETED = "party_transfer.completed"
PARTY_BRANCH_CHANGED = "party.branch_changed"
