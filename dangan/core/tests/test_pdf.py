from dangan.core.pdf import pdf_text, render_pdf


def test_chinese_pdf_has_a_readable_text_layer():
    pdf = render_pdf("core/pdf_probe.html", {"text": "芝罘区公共就业和人才服务中心"})
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "流动人员人事档案" in text
    assert "芝罘区公共就业和人才服务中心" in text
