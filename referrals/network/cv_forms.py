"""The CV upload form."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from referrals.network.cv_files import MAX_CV_MB

CV_ACCEPT = ".pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument." \
            "wordprocessingml.document"


class CvForm(FlaskForm):
    """A CV file: PDF or Word (.docx), up to 5 MB; its content is checked by the service."""

    file = FileField("CV file (PDF or Word .docx)", render_kw={"accept": CV_ACCEPT},
                     validators=[FileRequired(f"Choose your CV file: a PDF or a Word (.docx) "
                                              f"document of at most {MAX_CV_MB} MB.")])
