MATERIAL_RECEIVED = "material.received"
MATERIAL_ACCEPTED = "material.accepted"
MATERIAL_RETURNED = "material.returned"
MATERIAL_FILED = "material.filed"
MATERIAL_VIEWED = "material.viewed"
MATERIALS_VIEWED = "materials.viewed"
CATALOGUE_VIEWED = "catalogue.viewed"
# R13: a read refused for recusal; the same action as the dossier read's refusal (dossiers.services.dossier_read).
DOSSIER_READ_REFUSED = "dossier.read_refused"
