DOSSIER_VIEWED = "dossier.viewed"
