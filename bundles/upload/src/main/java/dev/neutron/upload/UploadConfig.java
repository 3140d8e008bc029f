package dev.neutron.upload;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Neutron uploads",
        description = "Files attached to chats, kept in <data dir>/uploads.")
public @interface UploadConfig {
    @AttributeDefinition(description = "Data directory. Empty: the system property neutron.data.dir, else ./.neutron_data")
    String dataDir() default "";

    @AttributeDefinition(description = "Largest accepted file, in bytes (default 20 MB)")
    long maxFileBytes() default FileAttachmentStore.DEFAULT_MAX_FILE_BYTES;

    @AttributeDefinition(description = "Largest total size of the files attached to one chat, in bytes (default 100 MB)")
    long maxSessionBytes() default FileAttachmentStore.DEFAULT_MAX_SESSION_BYTES;

    @AttributeDefinition(description = "Most files attached to one chat")
    int maxFilesPerSession() default FileAttachmentStore.DEFAULT_MAX_FILES_PER_SESSION;
}
